import type { Metadata } from "next";
import Link from "next/link";
import { LessonList } from "../../components/lessons/lesson-list";
import { LessonsHeader } from "../../components/lessons/lessons-header";
import { catalogueSummary } from "../../lib/lessons/catalogue";

export const metadata: Metadata = {
  title: "Lessons · Brokerlab",
  description: "A guided course on asynchronous messaging, with checks that read the live RabbitMQ, Kafka and Jaeger.",
};

export default function LessonsPage() {
  return (
    <>
      <LessonsHeader />
      <main className="page">
        <section className="lesson-intro" aria-labelledby="lessons-heading">
          <h1 id="lessons-heading">Lessons</h1>
          <p>
            A guided course on asynchronous messaging between microservices, on the real brokers. Every step runs a scenario on RabbitMQ or Kafka, and its check reads the live
            system (counters, queue depth, consumer lag, <code>x-death</code> headers, traces in Jaeger) to decide when you are done. Some steps ask you to predict the outcome
            before you run it.
          </p>
        </section>
        <LessonList entries={catalogueSummary()} />
      </main>
      <footer className="site-footer">
        <p>
          Progress is saved on this Brokerlab server for this browser. The stack must be up: <code>npm run stack:up</code>.
        </p>
        <p>
          Teaching a class? The <Link href="/teacher" data-testid="teacher-link">teacher&apos;s dashboard</Link> shows every learner&apos;s steps, who is stuck, and how the class predicted.
        </p>
      </footer>
    </>
  );
}
