"use client";
// The toolbar's Amazon menu: an Amazon broker entry, and SQS queues, SNS topics, EventBridge
// buses and rules on it. Subscriptions and rule targets are made by connecting on the canvas.
import type { AwsAddition } from "../../lib/lab/edits";
import { Popover } from "./popover";

const items: { what: AwsAddition; name: string; desc: string }[] = [
  { what: "broker", name: "Amazon broker", desc: "One entry for SQS, SNS and EventBridge on the local emulator (AWS_ENDPOINT_URL)." },
  { what: "queue", name: "SQS queue", desc: "A standard queue: at-least-once, best-effort order. Consumers poll and delete." },
  { what: "fifo-queue", name: "SQS FIFO queue", desc: "Ordered per message group, deduplicated; its name ends in .fifo." },
  { what: "topic", name: "SNS topic", desc: "Copies every message to each subscribed queue: drag from it to a queue to subscribe." },
  { what: "bus", name: "EventBridge bus", desc: "Receives events from producers; its rules route them." },
  { what: "rule", name: "EventBridge rule", desc: "Matches events on a bus by pattern and sends them to target queues." },
];

export function AwsAddMenu({ onAdd, disabled }: { onAdd(what: AwsAddition): void; disabled: boolean }) {
  if (disabled) {
    return <button type="button" className="button lab-add" disabled>Amazon ▾</button>;
  }
  return (
    <Popover label={<>Amazon <span aria-hidden="true">▾</span></>} title="Add an Amazon SQS/SNS/EventBridge part" className="button lab-add" testId="add-aws" panelClassName="lab-menu">
      {(close) => (
        <div role="menu" aria-label="Add an Amazon part">
          {items.map((item) => (
            <button key={item.what} type="button" role="menuitem" className="lab-menu__item" data-testid={`add-aws-${item.what}`} onClick={() => (onAdd(item.what), close())}>
              <span className="lab-menu__name">{item.name}</span>
              <span className="lab-menu__desc">{item.desc}</span>
            </button>
          ))}
        </div>
      )}
    </Popover>
  );
}
