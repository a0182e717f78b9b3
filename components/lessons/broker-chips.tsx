// Which brokers a lesson runs on, as small marks in the home page's service colours.
import { descriptorOf } from "../../lib/brokers";
import type { BrokerKind } from "../../lib/brokers";

export function BrokerChips({ brokers }: { brokers: readonly BrokerKind[] }) {
  return (
    <>
      {brokers.map((broker) => (
        <span key={broker} className={`lesson-chip lesson-chip--${broker}`}>
          <span className="lesson-chip__dot" aria-hidden="true" />
          {descriptorOf(broker).label}
        </span>
      ))}
    </>
  );
}
