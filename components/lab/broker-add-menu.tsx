"use client";
// The toolbar's menus of the broker kinds whose lab view has a palette (Redis: streams and
// channels), one menu per kind, built from the view's entries rather than a component per kind.
// They sit last in the toolbar's Add group, so their panels open leftwards, inside the window.
import type { BrokerKind } from "../../lib/brokers";
import type { PaletteItem } from "../../lib/lab/broker-view";
import { paletteKinds } from "../../lib/lab/broker-views";
import { Popover } from "./popover";

export function BrokerAddMenus({ onAdd, disabled }: { onAdd(kind: BrokerKind, item: PaletteItem): void; disabled: boolean }) {
  return (
    <>
      {paletteKinds().map(({ kind, palette }) =>
        disabled ? (
          <button key={kind} type="button" className="button lab-add" disabled>{palette.label} ▾</button>
        ) : (
          <Popover key={kind} label={<>{palette.label} <span aria-hidden="true">▾</span></>} title={palette.title} className="button lab-add" testId={`add-${kind}`} panelClassName="lab-menu" align="end">
            {(close) => (
              <div role="menu" aria-label={palette.title}>
                {palette.items.map((item) => (
                  <button key={item.id} type="button" role="menuitem" className="lab-menu__item" data-testid={`add-${kind}-${item.id}`} onClick={() => (onAdd(kind, item), close())}>
                    <span className="lab-menu__name">{item.label}</span>
                    <span className="lab-menu__desc">{item.description}</span>
                  </button>
                ))}
              </div>
            )}
          </Popover>
        ),
      )}
    </>
  );
}
