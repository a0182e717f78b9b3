"use client";
// The lab's edit commands over its document: what the toolbar, the shortcuts, the canvas and
// the inspector call. Each is a text edit from lib/lab/edits, then a selection of what changed.
import { useMemo, useRef } from "react";
import type { LabDocument } from "../../lib/client/use-lab-document";
import type { BrokerKind } from "../../lib/brokers";
import type { PaletteItem } from "../../lib/lab/broker-view";
import { nodeKindOfList } from "../../lib/lab/broker-views";
import { addAws, addConsumer, addFromMenu, addProducer, addResource, addService, connect, deleteAt, rename, setField, valueAt } from "../../lib/lab/edits";
import type { AwsAddition, EditResult, Endpoint, ResourceKind } from "../../lib/lab/edits";
import { resourceNodeId, serviceNodeId } from "../../lib/lab/graph";
import { isRecord } from "../../lib/lab/model";
import type { DocPath } from "../../lib/lab/yaml-edit";
import type { Selection } from "./canvas/lab-canvas";
import type { LabEditor } from "./inspector/form";

export interface LabCommands extends LabEditor {
  addService(): void;
  addProducerHere(): void;
  addConsumerHere(): void;
  addResource(kind: ResourceKind): void;
  addAws(what: AwsAddition): void;
  addFromMenu(kind: BrokerKind, item: PaletteItem): void;
  removeSelection(): void;
}

/** The node id an item has on the canvas (for keeping its position across a rename). */
function nodeIdOf(path: DocPath, name: string): string | undefined {
  if (path[0] === "services" && path.length === 2) return serviceNodeId(name);
  const kinds = { queues: "queue", exchanges: "exchange", topics: "topic", buses: "bus", rules: "rule" } as const;
  const kind = kinds[path[2] as keyof typeof kinds] ?? nodeKindOfList(String(path[2]));
  return path[0] === "resources" && path.length === 4 && kind ? resourceNodeId(kind, String(path[1]), name) : undefined;
}

export function useLabEditor(doc: LabDocument, selection: Selection | undefined, setSelection: (s: Selection | undefined) => void): LabCommands {
  // Commands read the latest document through refs, so their identities stay stable.
  const docRef = useRef(doc);
  docRef.current = doc;
  const selectionRef = useRef(selection);
  selectionRef.current = selection;

  return useMemo<LabCommands>(() => {
    const text = () => docRef.current.analysis.text;
    const commit = (result: EditResult | undefined) => {
      if (!result || result.text === text()) return;
      docRef.current.setText(result.text);
      if (result.path) setSelection({ path: result.path });
    };
    const serviceOfSelection = (): number | undefined => {
      const path = selectionRef.current?.path;
      return path?.[0] === "services" && typeof path[1] === "number" ? path[1] : undefined;
    };
    const commands: LabCommands = {
      set: (path, value) => docRef.current.apply((t) => setField(t, path, value), "typing"),
      rename(path, name) {
        const item = valueAt(docRef.current.analysis.raw, path);
        const previous = isRecord(item) && typeof item.name === "string" ? item.name : undefined;
        docRef.current.apply((t) => rename(t, path, name), "typing");
        const from = previous !== undefined ? nodeIdOf(path, previous) : undefined;
        const to = nodeIdOf(path, name);
        if (from && to) docRef.current.renamePosition(from, to);
      },
      remove(path) {
        docRef.current.apply((t) => deleteAt(t, path));
        setSelection(undefined);
      },
      addProducer: (serviceIndex) => commit(addProducer(text(), serviceIndex)),
      addConsumer: (serviceIndex) => commit(addConsumer(text(), serviceIndex)),
      connect: (source: Endpoint, target: Endpoint) => commit(connect(text(), source, target)),
      select: (path) => setSelection(path ? { path } : undefined),
      addService: () => commit(addService(text())),
      addProducerHere() {
        const service = serviceOfSelection();
        commit(service === undefined ? addService(text(), { producer: true }) : addProducer(text(), service));
      },
      addConsumerHere() {
        const service = serviceOfSelection();
        commit(service === undefined ? addService(text(), { consumer: true }) : addConsumer(text(), service));
      },
      addResource: (kind) => commit(addResource(text(), kind)),
      addAws: (what) => commit(addAws(text(), what)),
      addFromMenu: (kind, item) => commit(addFromMenu(text(), kind, item)),
      removeSelection() {
        const current = selectionRef.current;
        if (!current || current.path.length === 0) return;
        const edge = current.edge ? docRef.current.graph.edges.find((e) => e.id === current.edge) : undefined;
        commands.remove(edge ? edge.removes : current.path);
      },
    };
    return commands;
  }, [setSelection]);
}
