// The local services of the stack, found by their ids in lib/stack.ts (`serviceIds`, the one list)
// and the on-demand ones (stack/paths.ts): the service with id `x-y` is the export `xY` of
// `stack/services/x-y.ts`. Loaded on demand, so a new service adds its id there and its own module
// here, and no list is written twice.
import { serviceIds } from "../../lib/stack";
import { ON_DEMAND_SERVICE_NAMES, type ServiceName } from "../paths";
import type { LocalService } from "./service";

const exportName = (id: string) => id.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());

/** The local service of an id: a clear error when its module or export is missing. */
export async function localService(id: ServiceName): Promise<LocalService> {
  const file = `stack/services/${id}.ts`;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(`./${id}`)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`The stack service "${id}" (lib/stack.ts) has no module ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const service = loaded[exportName(id)] as LocalService | undefined;
  if (!service || service.name !== id) throw new Error(`${file} must export \`${exportName(id)}\`, a LocalService named "${id}"`);
  return service;
}

/** The local services of these ids (every one of `serviceIds` by default), in the order of `serviceIds`, then the on-demand ones. */
export const localServices = (ids: readonly ServiceName[] = serviceIds): Promise<LocalService[]> =>
  Promise.all([...serviceIds, ...ON_DEMAND_SERVICE_NAMES].filter((id) => ids.includes(id)).map(localService));
