"use client";
// The scenario's file operations: load an example or a saved scenario, start from empty, open
// and export a file, save in this browser, and share as a link that carries the whole scenario.
import { useRef, useState } from "react";
import type { ChangeEvent } from "react";
import { labStorage } from "../../lib/client/lab-storage";
import type { SavedScenario } from "../../lib/client/lab-storage";
import { useExamples } from "../../lib/client/use-examples";
import { encodeShareHash, maxShareLength } from "../../lib/lab/share";
import { Popover } from "./popover";

export interface ScenarioMenuProps {
  text: string;
  name: string;
  onLoad(text: string, origin: string): void;
  onNew(): void;
  notify(message: string): void;
}

function LoadMenu({ onLoad, onNew }: Pick<ScenarioMenuProps, "onLoad" | "onNew">) {
  const examples = useExamples();
  return (
    <Popover label={<>Load <span aria-hidden="true">▾</span></>} title="Load a scenario" className="button button--primary" testId="load-menu" panelClassName="lab-menu">
      {(close) => <LoadMenuItems examples={examples} saved={labStorage.listSaved()} onLoad={onLoad} onNew={onNew} close={close} />}
    </Popover>
  );
}

function LoadMenuItems({ examples, saved, onLoad, onNew, close }: Pick<ScenarioMenuProps, "onLoad" | "onNew"> & { examples: ReturnType<typeof useExamples>; saved: SavedScenario[]; close(): void }) {
  return (
        <div>
          <p className="lab-menu__title">Examples</p>
          {examples.state === "loading" ? <p className="lab-menu__note">Loading the examples…</p> : null}
          {examples.state === "failed" ? <p className="lab-menu__note lab-bad">Could not load the examples: {examples.message}</p> : null}
          {examples.state === "ready"
            ? examples.examples.map((example) => (
                <button key={example.id} type="button" className="lab-menu__item" data-testid={`example-${example.id}`} onClick={() => (onLoad(example.text, example.name), close())}>
                  <span className="lab-menu__name">{example.name}</span>
                  <span className="lab-menu__desc">{example.description}</span>
                </button>
              ))
            : null}
          {saved.length > 0 ? <p className="lab-menu__title">Saved in this browser</p> : null}
          {saved.map((s) => (
            <button key={s.name} type="button" className="lab-menu__item" onClick={() => (onLoad(s.text, s.name), close())}>
              <span className="lab-menu__name">{s.name}</span>
              <span className="lab-menu__desc">saved {new Date(s.savedAt).toLocaleString()}</span>
            </button>
          ))}
          <p className="lab-menu__title">Or</p>
          <button type="button" className="lab-menu__item" data-testid="new-empty" onClick={() => (onNew(), close())}>
            <span className="lab-menu__name">Start from empty</span>
            <span className="lab-menu__desc">A blank canvas: add services, queues and topics yourself.</span>
          </button>
        </div>
  );
}

export function ScenarioMenu({ text, name, onLoad, onNew, notify }: ScenarioMenuProps) {
  const file = useRef<HTMLInputElement>(null);
  const [shareUrl, setShareUrl] = useState<string>();

  async function openFile(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    event.target.value = "";
    if (!chosen) return;
    if (chosen.size > 1_000_000) return notify(`${chosen.name} is larger than 1 MB; that is not a scenario.`);
    onLoad(await chosen.text(), chosen.name);
  }

  function exportFile() {
    const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${name || "scenario"}.yaml`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function share() {
    const hash = await encodeShareHash(text);
    const url = `${window.location.origin}/lab#${hash}`;
    if (url.length > maxShareLength) return notify("This scenario is too large for a link; export it as a file instead.");
    setShareUrl(url);
    try {
      await navigator.clipboard.writeText(url);
      notify("Link copied: it carries the whole scenario.");
    } catch {
      notify("Copy the link from the box below the toolbar.");
    }
  }

  return (
    <div className="lab-toolbar__group" role="group" aria-label="Scenario">
      <LoadMenu onLoad={onLoad} onNew={onNew} />
      <button type="button" className="button" onClick={() => file.current?.click()} title="Open a .yaml or .json scenario file">Open…</button>
      <input ref={file} type="file" accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml" hidden onChange={openFile} data-testid="open-file" />
      <button type="button" className="button" onClick={() => (labStorage.save(name || "scenario", text) ? notify(`Saved “${name || "scenario"}” in this browser (Load ▾ lists it).`) : notify("This browser does not let the page save."))} title="Save in this browser">Save</button>
      <button type="button" className="button" onClick={exportFile} title="Download the scenario as YAML">Export</button>
      <button type="button" className="button" onClick={() => void share()} title="Copy a link that carries the scenario" data-testid="share">Share</button>
      {shareUrl ? (
        <div className="lab-share" role="group" aria-label="Share link">
          <input className="lab-input" readOnly value={shareUrl} onFocus={(e) => e.target.select()} aria-label="Share link" data-testid="share-url" />
          <button type="button" className="lab-icon-button" onClick={() => setShareUrl(undefined)} aria-label="Close the share link">×</button>
        </div>
      ) : null}
    </div>
  );
}
