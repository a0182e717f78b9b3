// What a run owned, once it is over: the broker resources that were there before it (used, never
// deleted) and whether the ones it created were deleted or kept on request.
import type { RunResources } from "../../lib/run/model";
import { resourceName } from "../../lib/run/resources-text";

export function RunResourcesNote({ resources }: { resources: RunResources | undefined }) {
  if (!resources || (resources.existed.length === 0 && !resources.keptOnRequest)) return null;
  return (
    <p className="muted" data-testid="run-resources">
      {resources.existed.length > 0 ? <>Already on the broker before this run, so used and kept: {resources.existed.map(resourceName).join(", ")}. </> : null}
      {`The ${resources.created.length} resources this run created were ${resources.keptOnRequest ? "kept on request" : "deleted"}.`}
    </p>
  );
}
