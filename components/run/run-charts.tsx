"use client";
// Charts over the run's time: throughput (published and consumed per second), end-to-end latency
// p50/p99 with its split into queue wait and processing, and the backlog (queue depth, Kafka lag).
// Each chart shows its latest values in words, so it reads without hovering.
import { useMemo, useState } from "react";
import type { RunFrame } from "../../lib/run/model";
import { backlogData, latencyData, latest, throughputData } from "./chart-data";
import type { ChartData, LatencyScope } from "./chart-data";
import { countText, durationText } from "./event-kinds";
import { UplotChart } from "./uplot-chart";
import type { SeriesStyle } from "./uplot-chart";
import "./run.css";

const throughputStyles: SeriesStyle[] = [{ color: "#4f6bed" }, { color: "#0f9d76" }];
const latencyStyles: SeriesStyle[] = [{ color: "#4f6bed" }, { color: "#c0262d" }, { color: "#d97706", dash: [6, 4] }, { color: "#0f9d76", dash: [6, 4] }];
const backlogPalette = ["#7c5cf0", "#e8590c", "#1c7ed6", "#d6336c", "#0f9d76", "#b08900", "#5c7cfa", "#868e96"];

const rate = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value >= 10 ? value.toFixed(0) : value.toFixed(1));
const ms = (value: number) => durationText(value);
const messages = (value: number) => (value >= 10_000 ? `${Math.round(value / 1000)}k` : countText(Math.round(value)));

function Latest(props: { data: ChartData; format(value: number): string; styles: SeriesStyle[] }) {
  return (
    <ul className="run-chart__latest">
      {props.data.labels.map((label, index) => {
        const value = latest(props.data.columns[index] ?? []);
        return (
          <li key={label}>
            <span className="run-chart__swatch" style={{ background: props.styles[index]?.color }} aria-hidden="true" />
            {label} <b>{value === null ? "–" : props.format(value)}</b>
          </li>
        );
      })}
    </ul>
  );
}

/** The newest window's median split: how much of the end-to-end time a message waited, how much it was worked on. */
function LatencySplit(props: { data: ChartData }) {
  const wait = latest(props.data.columns[2] ?? []);
  const work = latest(props.data.columns[3] ?? []);
  if (wait === null || work === null || wait + work <= 0) return null;
  const waitShare = (wait / (wait + work)) * 100;
  return (
    <div className="latency-split" aria-label={`Queue wait ${ms(wait)}, processing ${ms(work)}`}>
      <div className="latency-split__bar" aria-hidden="true">
        <span className="latency-split__wait" style={{ width: `${waitShare}%` }} />
        <span className="latency-split__work" style={{ width: `${100 - waitShare}%` }} />
      </div>
      <p className="latency-split__text">
        A typical message waited <b>{ms(wait)}</b> in the queue and was processed in <b>{ms(work)}</b>
        {waitShare > 66 ? ": the consumer is the bottleneck, messages queue up before it." : waitShare < 33 ? ": most of the time is the work itself." : "."}
      </p>
    </div>
  );
}

export function RunCharts(props: { frames: RunFrame[] }) {
  const { frames } = props;
  const [scope, setScope] = useState<LatencyScope>("all");
  const consumers = useMemo(() => Object.keys(frames[frames.length - 1]?.consumers ?? {}).sort(), [frames]);
  const throughput = useMemo(() => throughputData(frames), [frames]);
  const latency = useMemo(() => latencyData(frames, consumers.includes(scope) ? scope : "all"), [frames, scope, consumers]);
  const backlog = useMemo(() => backlogData(frames), [frames]);
  const backlogStyles = backlog.labels.map((_, index) => ({ color: backlogPalette[index % backlogPalette.length]! }));

  if (frames.length === 0) {
    return (
      <section className="run-charts run-charts--empty" aria-label="Run charts">
        <p className="muted">The charts start with the run: throughput, latency and backlog, updated ten times a second.</p>
      </section>
    );
  }

  return (
    <section className="run-charts" aria-label="Run charts">
      <article className="run-chart">
        <header className="run-chart__head">
          <h3 className="run-heading">Throughput</h3>
          <span className="muted">messages per second</span>
        </header>
        <Latest data={throughput} format={(v) => `${rate(v)}/s`} styles={throughputStyles} />
        <UplotChart data={throughput} styles={throughputStyles} format={rate} label="Throughput over time: published and consumed per second" />
      </article>
      <article className="run-chart">
        <header className="run-chart__head">
          <h3 className="run-heading">Latency</h3>
          {consumers.length > 1 ? (
            <select className="run-chart__scope" title="All consumers: p50 is the average weighted by messages, p99 the slowest consumer's" value={consumers.includes(scope) ? scope : "all"} onChange={(e) => setScope(e.target.value)} aria-label="Latency of which consumer">
              <option value="all">all consumers</option>
              {consumers.map((key) => (
                <option key={key} value={key}>{key}</option>
              ))}
            </select>
          ) : (
            <span className="muted">per window, send → processed</span>
          )}
        </header>
        <Latest data={latency} format={ms} styles={latencyStyles} />
        <UplotChart data={latency} styles={latencyStyles} format={ms} label="End-to-end latency over time, p50 and p99, with queue wait and processing" />
        <LatencySplit data={latency} />
      </article>
      <article className="run-chart">
        <header className="run-chart__head">
          <h3 className="run-heading">Backlog</h3>
          <span className="muted">queue depth and consumer-group lag</span>
        </header>
        {backlog.labels.length > 0 ? (
          <>
            <Latest data={backlog} format={messages} styles={backlogStyles} />
            <UplotChart data={backlog} styles={backlogStyles} format={messages} label="Queue depth and Kafka lag over time" />
          </>
        ) : (
          <p className="muted run-chart__none">No queue or consumer group to watch yet: depth and lag come from the brokers every second or so.</p>
        )}
      </article>
    </section>
  );
}
