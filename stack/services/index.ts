// The local services of the stack, found by their ids in lib/stack.ts (`serviceIds`, the one list):
// the service with id `x` is the export `x` of `stack/services/x.ts`. Loaded on demand, so a new
// service adds its id there and its own module here, and no list is written twice.
import { serviceIds, type ServiceId } from "../../lib/stack";
import type { LocalService } from "./service";

/** The local service of an id: a clear error when its module or export is missing. */
export async function localService(id: ServiceId): Promise<LocalService> {
  const file = `stack/services/${id}.ts`;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(`./${id}`)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`The stack service "${id}" (lib/stack.ts) has no module ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const service = loaded[id] as LocalService | undefined;
  if (!service || service.name !== id) throw new Error(`${file} must export \`${id}\`, a LocalService named "${id}"`);
  return service;
}

/** The local services of these ids (every one by default), in the order of `serviceIds`. */
export const localServices = (ids: readonly ServiceId[] = serviceIds): Promise<LocalService[]> =>
  Promise.all(serviceIds.filter((id) => ids.includes(id)).map(localService));
