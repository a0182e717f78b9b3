"use client";
// The keyboard shortcuts of the lab, in the help popover (also opened with "?").
import { Popover } from "./popover";

export const shortcuts: [string, string][] = [
  ["S", "add a service"],
  ["P", "add a producer (to the selected service, or a new one)"],
  ["C", "add a consumer (likewise)"],
  ["Q / E / T", "add a queue / exchange / topic"],
  ["Tab, Shift+Tab", "move between nodes and the rows inside them; focus selects"],
  ["← ↑ → ↓", "jump to the nearest node in that direction"],
  ["Shift + arrows", "move the focused node"],
  ["Enter", "edit the selection in the inspector"],
  ["Delete / Backspace", "delete the selection (a selected edge: just the link)"],
  ["Esc", "clear the selection"],
  ["Ctrl/⌘ + Z, Ctrl/⌘ + Shift + Z", "undo, redo"],
  ["Ctrl/⌘ + Enter", "start the run (or stop it)"],
  ["L", "tidy the layout"],
  ["Y", "show the YAML"],
  ["?", "this help"],
];

export function ShortcutsTable() {
  return (
    <table className="lab-shortcuts">
      <tbody>
        {shortcuts.map(([keys, what]) => (
          <tr key={keys}>
            <th scope="row">{keys.split(", ").map((k) => <kbd key={k}>{k}</kbd>)}</th>
            <td>{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ShortcutsHelp({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  return (
    <Popover label="Keys" title="Keyboard shortcuts" className="button button--ghost" align="end" panelClassName="lab-explain" testId="shortcuts-button" open={open} onOpenChange={onOpenChange}>
      <h3>Keyboard shortcuts</h3>
      <ShortcutsTable />
      <p className="muted">Connect with the mouse by dragging from a ● to another node, or with the keyboard in the inspector (“Sends to”, “Reads from”, “Bind a queue”).</p>
    </Popover>
  );
}
