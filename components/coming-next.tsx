// Where to go from the home page: the lab, the lessons and the trace explorer.
import Link from "next/link";

const places = [
  {
    title: "Lab",
    href: "/lab?example=order-inventory",
    testId: "open-lab",
    body: "Describe producers, consumers, exchanges, queues and topics in one scenario, run it on the real brokers, and watch rates, latency, queue depth and consumer lag live. Click any message to see its trace.",
    cta: "Open the lab: load order-inventory, press Start →",
  },
  {
    title: "Lessons",
    href: "/lessons",
    testId: "open-lessons",
    body: "A guided course on asynchronous messaging: work queues, pub/sub, acks, retries and dead letters, Kafka partitions and ordering, each with checks that read the live system.",
    cta: "Start the course →",
  },
  {
    title: "Traces",
    href: "/traces",
    testId: "open-traces",
    body: "Follow a message from publish to acknowledgement across services, drawn from Jaeger's query API: search a run's traces, open one on its timeline with the critical path marked, or compare two side by side.",
    cta: "Search the traces →",
  },
];

export function ComingNext() {
  return (
    <section className="section" aria-labelledby="coming-heading">
      <div className="section__head">
        <div>
          <h2 id="coming-heading">Start here</h2>
          <p className="section__lead">What you can do once the stack is up.</p>
        </div>
      </div>
      <div className="preview-grid">
        {places.map((place) => (
          <Link key={place.title} href={place.href} className="preview-card preview-card--live" data-testid={place.testId}>
            <h3>
              {place.title} <span className="soon soon--live">Open</span>
            </h3>
            <p>{place.body}</p>
            <span className="preview-card__cta">{place.cta}</span>
          </Link>
        ))}
      </div>
    </section>
  );
}
