import type { Metadata } from "next";
import Link from "next/link";
import { SiteHeader } from "../../../components/site-header";
import { TraceCompare } from "../../../components/traces/trace-compare";

export const metadata: Metadata = { title: "Compare traces · Brokerlab" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ComparePage({ searchParams }: Props) {
  const { a, b } = await searchParams;
  const valid = typeof a === "string" && typeof b === "string" && a !== "" && b !== "";
  return (
    <>
      <SiteHeader section="traces" />
      <main className="page traces-page">
        <p><Link href="/traces">← All traces</Link></p>
        <h1 className="traces-page__title">Compare two traces</h1>
        {valid ? (
          <TraceCompare a={a} b={b} />
        ) : (
          <p className="notice notice--error" role="alert">Give two trace ids: <code>/traces/compare?a=&lt;trace id&gt;&amp;b=&lt;trace id&gt;</code>, or pick two in the list of traces.</p>
        )}
      </main>
    </>
  );
}
