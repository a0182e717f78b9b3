"use client";
// One uPlot line chart that lives as long as its series do: new data is handed to setData (10 Hz
// frames never recreate the chart), the width follows its box, and uPlot is loaded in the browser only.
import { useEffect, useRef, useState } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { ChartData } from "./chart-data";

export interface SeriesStyle {
  color: string;
  dash?: number[];
}

const height = 170;
const axisStyle = { stroke: "#5a6478", grid: { stroke: "#edf0f6", width: 1 }, ticks: { stroke: "#dfe4ee", width: 1 }, font: "11px system-ui, sans-serif" };

const aligned = (data: ChartData): uPlot.AlignedData => [data.x, ...data.columns] as uPlot.AlignedData;

export function UplotChart(props: { data: ChartData; styles: SeriesStyle[]; format(value: number): string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const latestData = useRef(props.data);
  const format = useRef(props.format);
  const [failed, setFailed] = useState(false);
  const seriesKey = props.data.labels.join("|");
  const styles = useRef(props.styles);

  useEffect(() => {
    latestData.current = props.data;
    format.current = props.format;
    styles.current = props.styles;
    chart.current?.setData(aligned(props.data));
  });

  useEffect(() => {
    let disposed = false;
    const element = box.current;
    if (!element) return;
    import("uplot")
      .then(({ default: UPlot }) => {
        if (disposed) return;
        const value = (_self: uPlot, raw: number | null) => (raw === null || raw === undefined ? "–" : format.current(raw));
        const options: uPlot.Options = {
          width: Math.max(200, element.clientWidth),
          height,
          legend: { show: true, live: true },
          cursor: { drag: { x: false, y: false }, points: { size: 6 } },
          scales: { x: { time: false } },
          axes: [
            { ...axisStyle, values: (_self, splits) => splits.map((s) => `${Math.round(s * 10) / 10}s`) },
            { ...axisStyle, size: 60, values: (_self, splits) => splits.map((s) => (s === 0 ? "0" : format.current(s))) },
          ],
          series: [
            { label: "time", value: (_self, raw) => (raw === null ? "–" : `${raw.toFixed(1)} s`) },
            ...latestData.current.labels.map((label, index) => ({
              label,
              stroke: styles.current[index]?.color ?? "#4f6bed",
              width: 2,
              ...(styles.current[index]?.dash ? { dash: styles.current[index]!.dash } : {}),
              points: { show: false },
              // A window without a measurement is a gap in the data, not a drop to zero: draw across it.
              spanGaps: true,
              value,
            })),
          ],
        };
        chart.current = new UPlot(options, aligned(latestData.current), element);
      })
      .catch(() => !disposed && setFailed(true));
    const observer = typeof ResizeObserver === "undefined" ? undefined : new ResizeObserver(() => chart.current?.setSize({ width: Math.max(200, element.clientWidth), height }));
    observer?.observe(element);
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.destroy();
      chart.current = undefined;
    };
  }, [seriesKey]);

  return (
    <div className="run-chart__plot" ref={box} role="img" aria-label={props.label}>
      {failed ? <p className="muted">The chart could not be drawn in this browser.</p> : null}
    </div>
  );
}
