import type { Metadata } from "next";
import { SiteHeader } from "../../components/site-header";
import { TraceExplorer } from "../../components/traces/trace-explorer";
import type { SearchFields } from "../../components/traces/trace-search-form";

export const metadata: Metadata = { title: "Traces · Brokerlab", description: "Search, open and compare the traces of Brokerlab's runs." };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TracesPage({ searchParams }: Props) {
  // Repeated parameters are passed on as they are, for the server's validation to name them.
  const params = await searchParams;
  const fields = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value.join(",") : value])) as SearchFields;
  return (
    <>
      <SiteHeader section="traces" />
      <TraceExplorer fields={fields} />
    </>
  );
}
