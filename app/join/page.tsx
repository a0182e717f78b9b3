import type { Metadata } from "next";
import "./join.css";
import { JoinForm } from "../../components/classroom/join-form";

export const metadata: Metadata = {
  title: "Join the class · Brokerlab",
  description: "Join a Brokerlab class with the code your teacher shows.",
};

export default async function JoinPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = typeof params.next === "string" ? params.next : undefined;
  return (
    <main className="join-page">
      <section className="join-card" aria-labelledby="join-heading">
        <p className="join-card__brand">Brokerlab</p>
        <h1 id="join-heading">Join the class</h1>
        <p className="join-card__lead">Type the code your teacher shows and the name the class knows you by. Your runs and lesson progress are yours alone.</p>
        <JoinForm {...(next ? { next } : {})} expired={params.expired === "1"} />
      </section>
    </main>
  );
}
