// Which brokers a lesson runs on, as small marks in the home page's service colours.
const names = { rabbitmq: "RabbitMQ", kafka: "Kafka" } as const;

export function BrokerChips({ brokers }: { brokers: readonly ("rabbitmq" | "kafka")[] }) {
  return (
    <>
      {brokers.map((broker) => (
        <span key={broker} className={`lesson-chip lesson-chip--${broker}`}>
          <span className="lesson-chip__dot" aria-hidden="true" />
          {names[broker]}
        </span>
      ))}
    </>
  );
}
