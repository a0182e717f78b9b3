import type { Metadata } from "next";
import { SiteHeader } from "../../components/site-header";
import { RunHistory } from "../../components/runs/run-history";
import type { RunFilterFields } from "../../components/runs/run-filters";

export const metadata: Metadata = { title: "Runs · Brokerlab", description: "Every recorded run: filter, rename, pin, replay and compare." };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RunsPage({ searchParams }: Props) {
  // Repeated parameters are joined and passed on, for the server's validation to name them.
  const params = await searchParams;
  const fields = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value.join(",") : value])) as RunFilterFields;
  return (
    <>
      <SiteHeader section="runs" />
      <RunHistory fields={fields} />
    </>
  );
}
