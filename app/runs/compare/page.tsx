import type { Metadata } from "next";
import { SiteHeader } from "../../../components/site-header";
import { RunCompare } from "../../../components/runs/run-compare";

export const metadata: Metadata = { title: "Compare runs · Brokerlab", description: "Two recorded runs side by side: throughput, latency, ledgers and percentiles." };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CompareRunsPage({ searchParams }: Props) {
  const { a, b } = await searchParams;
  const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const left = one(a);
  const right = one(b);
  return (
    <>
      <SiteHeader section="runs" />
      {left && right ? (
        <RunCompare a={left} b={right} />
      ) : (
        <main className="page runs-page">
          <p className="runs-error" role="alert">Name two runs to compare, as /runs/compare?a=RUN_ID&amp;b=RUN_ID: {left ? "b" : "a"} is missing. Pick two on the <a href="/runs">run history</a>.</p>
        </main>
      )}
    </>
  );
}
