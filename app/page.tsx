import { ComingNext } from "../components/coming-next";
import { SiteHeader } from "../components/site-header";
import { StackSection } from "../components/stack-section";

export default function HomePage() {
  return (
    <>
      <SiteHeader />
      <main className="page">
        <StackSection />
        <ComingNext />
      </main>
      <footer className="site-footer">
        <p>
          Brokerlab runs on your own RabbitMQ, Kafka, Jaeger and an Amazon SQS/SNS emulator (moto). Start them all with <code>npm run stack:up</code>.
        </p>
      </footer>
    </>
  );
}
