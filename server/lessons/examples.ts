// The scenario files of examples/, read for lessons that start from one. Ids are checked before
// they become paths; texts are cached (the files ship with the app).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../lib/errors";

export interface ExampleSource {
  read(id: string): Promise<string>;
}

export const defaultExamplesDir = path.resolve(__dirname, "../../examples");

export function createExampleSource(dir = defaultExamplesDir): ExampleSource {
  const cache = new Map<string, Promise<string>>();
  return {
    read(id) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) return Promise.reject(new AppError("INVALID_INPUT", `"${id}" is not an example id.`));
      let text = cache.get(id);
      if (!text) {
        text = readFile(path.join(dir, `${id}.yaml`), "utf8").catch((error: unknown) => {
          cache.delete(id);
          throw new AppError("NOT_FOUND", `The example "${id}" is missing from ${path.basename(dir)}/.`, { cause: error });
        });
        cache.set(id, text);
      }
      return text;
    },
  };
}
