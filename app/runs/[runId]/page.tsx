import type { Metadata } from "next";
// The replay draws the lab's canvas: React Flow's and the lab's styles.
import "@xyflow/react/dist/style.css";
import "../../lab/lab.css";
import { SiteHeader } from "../../../components/site-header";
import { RunReplay } from "../../../components/runs/run-replay";

export const metadata: Metadata = { title: "Replay · Brokerlab", description: "A recorded run played back: scrub its timeline, faults marked." };

export default async function RunReplayPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return (
    <>
      <SiteHeader section="runs" />
      <RunReplay runId={decodeURIComponent(runId)} />
    </>
  );
}
