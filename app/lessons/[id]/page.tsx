import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LessonView } from "../../../components/lessons/lesson-view";
import { LessonsHeader } from "../../../components/lessons/lessons-header";
import { lessonBadge, lessonById, lessons } from "../../../lib/lessons/catalogue";

type Params = { params: Promise<{ id: string }> };

export function generateStaticParams() {
  return lessons.map((lesson) => ({ id: lesson.id }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const lesson = lessonById((await params).id);
  return lesson ? { title: `${lesson.title} · Brokerlab lessons`, description: lesson.summary } : { title: "Lesson not found · Brokerlab" };
}

export default async function LessonPage({ params }: Params) {
  const lesson = lessonById((await params).id);
  if (!lesson) notFound();
  const position = lessons.indexOf(lesson);
  return (
    <>
      <LessonsHeader trail={[{ label: `${lessonBadge(lesson)}: ${lesson.title}` }]} />
      <LessonView lesson={lesson} next={lessons[position + 1]} />
      <footer className="site-footer">
        <p>
          Checks read the live system: the run&apos;s counters and ledger, RabbitMQ&apos;s management API, Kafka&apos;s admin API and Jaeger. Progress is saved on this Brokerlab server.
        </p>
      </footer>
    </>
  );
}
