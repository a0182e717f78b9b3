"use client";
// What the lab opens with, in order: the run in the URL (?run=, watched live), an example named in
// the URL (?example=, the home page's link), a scenario shared in the URL hash (#s=), the
// autosaved draft, or an empty canvas with a first-run hint.
import { useEffect, useRef } from "react";
import { labStorage } from "../../lib/client/lab-storage";
import type { LabDocument } from "../../lib/client/use-lab-document";
import { fetchExamples } from "../../lib/client/use-examples";
import { runStore } from "../../lib/client/use-run";
import { scenarioToText } from "../../lib/lab/document";
import { decodeShareHash } from "../../lib/lab/share";

/** Puts the run id into the page's address (or takes it out), so the address opens the same run. */
export function setRunInUrl(runId: string | undefined): void {
  const url = new URL(window.location.href);
  if (runId) url.searchParams.set("run", runId);
  else url.searchParams.delete("run");
  url.hash = "";
  window.history.replaceState(window.history.state, "", url.toString());
}

export function useInitialDocument(doc: LabDocument, options: { showHint(): void; notify(message: string): void }): void {
  const started = useRef(false);
  const { load, markReady } = doc;
  const { showHint, notify } = options;

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const url = new URL(window.location.href);
    const runId = url.searchParams.get("run");
    const exampleId = url.searchParams.get("example");
    const fromDraft = () => {
      const draft = labStorage.readDraft();
      if (draft) load(draft.text, draft.positions);
      else if (!labStorage.hintSeen()) showHint();
    };

    const loadExample = async (id: string) => {
      try {
        const example = (await fetchExamples()).find((e) => e.id === id);
        if (!example) throw new Error(`there is no example "${id}"`);
        // A fresh example: nothing of an earlier run belongs to it.
        runStore.reset();
        load(example.text);
        notify(`Loaded ${example.name}. Press Start to run it.`);
      } catch (error) {
        notify(`Could not load the example: ${(error as Error).message}; showing your last draft instead.`);
        fromDraft();
      }
    };

    void (async () => {
      if (runId) {
        const watched = await runStore.watch(runId);
        const text = labStorage.runText(runId) ?? (watched ? scenarioToText(watched.scenario) : undefined);
        if (text) load(text);
        else fromDraft();
      } else if (exampleId) {
        await loadExample(exampleId);
        url.searchParams.delete("example");
        window.history.replaceState(window.history.state, "", url.toString());
      } else if (url.hash.includes("s=")) {
        const text = await decodeShareHash(url.hash);
        if (text) {
          load(text);
          notify("Loaded the scenario from the link.");
        } else {
          notify("The link's scenario is damaged; showing your last draft instead.");
          fromDraft();
        }
        url.hash = "";
        window.history.replaceState(window.history.state, "", url.toString());
      } else {
        fromDraft();
      }
      markReady();
    })();
  }, [load, markReady, showHint, notify]);
}
