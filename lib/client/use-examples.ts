// The example scenarios the server ships (GET /api/examples), fetched once per page and parsed.
import { useEffect, useState } from "react";
import { z } from "zod";

const examplesResponseSchema = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().default(""), text: z.string() })),
});

export type Example = z.infer<typeof examplesResponseSchema>["data"][number];
export type ExamplesState = { state: "loading" } | { state: "ready"; examples: Example[] } | { state: "failed"; message: string };

let cache: Promise<Example[]> | undefined;

export function fetchExamples(): Promise<Example[]> {
  cache ??= fetch("/api/examples", { headers: { accept: "application/json" } })
    .then(async (response) => {
      if (!response.ok) throw new Error(`the server answered HTTP ${response.status}`);
      return examplesResponseSchema.parse(await response.json()).data;
    })
    .catch((error: unknown) => {
      cache = undefined;
      throw error;
    });
  return cache;
}

export function useExamples(): ExamplesState {
  const [state, setState] = useState<ExamplesState>({ state: "loading" });
  useEffect(() => {
    let live = true;
    fetchExamples().then(
      (examples) => live && setState({ state: "ready", examples }),
      (error: unknown) => live && setState({ state: "failed", message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
