"use client";
// The lab: build a scenario on the canvas (or in YAML), run it on the real brokers, watch it.
// The scenario text is the single source of truth; the canvas, inspector and YAML view derive
// from it, and the run's frames bring the canvas alive.
import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { brokerKinds, kindsDown, stackServiceOf } from "../../lib/brokers";
import { labStorage } from "../../lib/client/lab-storage";
import { fetchExamples } from "../../lib/client/use-examples";
import { useJaegerUiUrl } from "../../lib/client/use-jaeger-ui";
import { useLabDocument } from "../../lib/client/use-lab-document";
import { runStore, useRun } from "../../lib/client/use-run";
import { useStackStatus } from "../../lib/client/use-stack-status";
import { blockingReason } from "../../lib/lab/document";
import { emptyScenarioText, setField } from "../../lib/lab/edits";
import { jaegerSearchUrl, searchService } from "../../lib/lab/jaeger-link";
import type { BrokerKind } from "../../lib/lab/model";
import { problemCounts } from "../../lib/lab/problems";
import { serviceNames } from "../../lib/stack";
import { EmptyState } from "./canvas/empty-state";
import { LabCanvas } from "./canvas/lab-canvas";
import type { Selection } from "./canvas/lab-canvas";
import { LiveProvider } from "./canvas/canvas-context";
import { Legend } from "./canvas/legend";
import { FirstRunHint } from "./first-run-hint";
import { LabBanners } from "./lab-banners";
import { LabHeader } from "./lab-header";
import { LabSidebar } from "./lab-sidebar";
import type { SidebarTab } from "./lab-sidebar";
import { LabToolbar } from "./lab-toolbar";
import { RunBar } from "./run-bar";
import { RunPanel } from "./run-panel";
import { ShortcutsHelp } from "./shortcuts-help";
import { TracingToggle } from "./tracing-toggle";
import { setRunInUrl, useInitialDocument } from "./use-initial-document";
import { useLabEditor } from "./use-lab-editor";
import { useShortcuts } from "./use-shortcuts";

export function LabPage() {
  return (
    <ReactFlowProvider>
      <LabWorkspace />
    </ReactFlowProvider>
  );
}

function useToast(): [string | undefined, (message: string) => void] {
  const [toast, setToast] = useState<string>();
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(undefined), 4500);
    return () => clearTimeout(timer);
  }, [toast]);
  return [toast, setToast];
}

function LabWorkspace() {
  const doc = useLabDocument(emptyScenarioText);
  const { analysis, graph, model } = doc;
  const [selection, setSelection] = useState<Selection>();
  const [tab, setTab] = useState<SidebarTab>("inspect");
  const [duration, setDuration] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  const [hint, setHint] = useState(false);
  const [startedText, setStartedText] = useState<string>();
  const [toast, notify] = useToast();
  const stack = useStackStatus();
  const phase = useRun((v) => v.phase);
  const status = useRun((v) => v.status);
  const runId = useRun((v) => v.runId);
  const reportSearch = useRun((v) => v.report?.traces.searchUrl);
  const runError = useRun((v) => v.error);
  const editor = useLabEditor(doc, selection, setSelection);
  const showHint = useCallback(() => setHint(true), []);
  useInitialDocument(doc, { showHint, notify });

  const editable = analysis.parsed;
  const active = phase === "starting" || status === "running" || status === "stopping";
  const usedKinds = useMemo(() => new Set<BrokerKind>(model.brokers.map((b) => b.kind)), [model]);
  const downKinds = useMemo(() => {
    const services = stack.status?.services;
    return new Set<string>(services ? kindsDown(new Set(brokerKinds), (id) => services[id].up) : []);
  }, [stack.status]);
  const problems = useMemo(() => problemCounts(analysis.problems), [analysis.problems]);
  const brokerDown = brokerKinds.find((k) => usedKinds.has(k) && downKinds.has(k));
  const blocked =
    blockingReason(analysis) ??
    (brokerDown ? `${serviceNames[stackServiceOf(brokerDown)]} is down; start it first (see the banner).` : undefined) ??
    (stack.connection !== "live" ? "not connected to the Brokerlab server yet." : undefined);

  // Jaeger links only when a real Jaeger UI answers (a Go-module build serves a placeholder page).
  const jaegerUiUrl = useJaegerUiUrl();
  const service = searchService(analysis.raw);
  const tracesUrl = runId && jaegerUiUrl ? reportSearch ?? (service ? jaegerSearchUrl(jaegerUiUrl, service, runId) : undefined) : undefined;

  const loadText = useCallback((text: string, origin?: string) => {
    doc.load(text);
    setSelection(undefined);
    setHint(false);
    if (origin) notify(`Loaded ${origin}.`);
  }, [doc, notify]);

  const loadFirstExample = useCallback(async () => {
    try {
      const examples = await fetchExamples();
      const first = examples.find((e) => e.id === "order-inventory") ?? examples[0];
      if (first) loadText(first.text, first.name);
    } catch (error) {
      notify(`Could not load the examples: ${(error as Error).message}`);
    }
  }, [loadText, notify]);

  const start = useCallback(async () => {
    if (blocked || active) return;
    labStorage.markHintSeen();
    setHint(false);
    const text = analysis.text;
    setStartedText(text);
    // The faults sit beside the canvas: a short run must not end while the learner looks for them.
    setTab("faults");
    const id = await runStore.start(text, duration || undefined);
    if (id) {
      labStorage.rememberRun(id, text);
      setRunInUrl(id);
    }
  }, [blocked, active, analysis.text, duration]);

  const reset = useCallback(() => {
    runStore.reset();
    setRunInUrl(undefined);
  }, []);

  const edit = useCallback(() => {
    setTab("inspect");
    setTimeout(() => document.querySelector<HTMLElement>("[data-testid=inspector] input, [data-testid=inspector] select, [data-testid=inspector] textarea")?.focus(), 30);
  }, []);

  useShortcuts({
    addService: editor.addService,
    addProducer: editor.addProducerHere,
    addConsumer: editor.addConsumerHere,
    addResource: editor.addResource,
    remove: editor.removeSelection,
    edit,
    clear: () => setSelection(undefined),
    undo: doc.undo,
    redo: doc.redo,
    toggleRun: () => (active ? void runStore.stop() : void start()),
    tidy: doc.tidy,
    showYaml: () => setTab("yaml"),
    help: () => setHelpOpen(true),
  });

  const isEmpty = graph.nodes.length === 0;
  return (
    <div className="lab-page">
      <LabHeader />
      <LabToolbar
        text={analysis.text}
        name={model.name}
        onLoad={loadText}
        onNew={() => (reset(), setStartedText(undefined), loadText(emptyScenarioText, "an empty scenario"))}
        notify={notify}
        editable={editable}
        onAddService={editor.addService}
        onAddProducer={editor.addProducerHere}
        onAddConsumer={editor.addConsumerHere}
        onAddResource={editor.addResource}
        onAddAws={editor.addAws}
        onAddFromMenu={editor.addFromMenu}
        onUndo={doc.undo}
        onRedo={doc.redo}
        canUndo={doc.canUndo}
        canRedo={doc.canRedo}
        onTidy={doc.tidy}
      />
      <RunBar blocked={blocked} duration={duration} onDuration={setDuration} onStart={() => void start()} onStop={() => void runStore.stop()} onReset={reset}
        tracesUrl={tracesUrl} editedSinceStart={startedText !== undefined && startedText !== analysis.text}
        end={
          <>
            <TracingToggle propagation={model.propagation} disabled={!editable} onChange={(value) => doc.apply((t) => setField(t, ["tracing", "propagation"], value))} />
            <ShortcutsHelp open={helpOpen} onOpenChange={setHelpOpen} />
          </>
        } />
      <LabBanners stack={stack} usedKinds={usedKinds} running={active} error={runError} onDismissError={runStore.clearError} />
      <main className="lab-main">
        <div className="lab-main__canvas">
          <LiveProvider graph={graph}>
            <LabCanvas graph={graph} positions={doc.positions} selection={selection} problems={problems} downKinds={downKinds} editable={editable}
              fitKey={doc.loadCount} onSelect={setSelection} onConnect={editor.connect} onMoved={doc.move} onAddProducer={editor.addProducer} onAddConsumer={editor.addConsumer}>
              <Legend />
            </LabCanvas>
          </LiveProvider>
          {!editable ? (
            <p className="lab-canvas-note" role="status">The YAML has a syntax error: the canvas shows the last version that parsed. Fix it in the YAML tab to edit here again.</p>
          ) : null}
          {isEmpty && editable ? <EmptyState onLoadFirst={() => void loadFirstExample()} onAddService={editor.addService} /> : null}
          {hint && isEmpty ? <FirstRunHint onLoad={() => void loadFirstExample()} onDismiss={() => (setHint(false), labStorage.markHintSeen())} /> : null}
        </div>
        <LabSidebar tab={tab} onTab={setTab} doc={doc} selection={selection} editor={editor} readOnly={!editable} />
      </main>
      <RunPanel {...(jaegerUiUrl ? { jaegerUiUrl } : {})} />
      {toast ? <p className="lab-toast" role="status" data-testid="toast">{toast}</p> : null}
    </div>
  );
}
