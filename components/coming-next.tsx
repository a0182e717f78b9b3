// A preview of what Brokerlab is growing into; plain text on purpose, as none of it is live yet.
const previews = [
  {
    title: "Lab",
    body: "Describe producers, consumers, exchanges, queues and topics in one scenario, run it on the real brokers, and watch rates, latency, queue depth and consumer lag live.",
  },
  {
    title: "Traces",
    body: "Follow a single message from publish to acknowledgement across services, drawn from Jaeger's query API, with retries, redeliveries and dead letters visible.",
  },
  {
    title: "Lessons",
    body: "A guided course on asynchronous messaging: work queues, pub/sub, acks, retries and dead letters, Kafka partitions and ordering, each with checks that read the live system.",
  },
];

export function ComingNext() {
  return (
    <section className="section" aria-labelledby="coming-heading">
      <div className="section__head">
        <div>
          <h2 id="coming-heading">Coming next</h2>
          <p className="section__lead">What you will do here once the stack is up.</p>
        </div>
      </div>
      <div className="preview-grid">
        {previews.map((preview) => (
          <article key={preview.title} className="preview-card">
            <h3>
              {preview.title} <span className="soon">Soon</span>
            </h3>
            <p>{preview.body}</p>
          </article>
        ))}
      </div>
    </section>
  );
}
