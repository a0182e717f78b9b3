import type { Metadata } from "next";
import Link from "next/link";
import { SiteHeader } from "../../../components/site-header";
import { TracePageView } from "../../../components/traces/trace-page-view";

type Props = { params: Promise<{ traceId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Trace ${(await params).traceId.slice(0, 12)} · Brokerlab` };
}

export default async function TracePage({ params }: Props) {
  const { traceId } = await params;
  return (
    <>
      <SiteHeader section="traces" />
      <main className="page traces-page">
        <p><Link href="/traces">← All traces</Link></p>
        <h1 className="traces-page__title">Trace <code>{traceId}</code></h1>
        <TracePageView traceId={traceId} />
      </main>
    </>
  );
}
