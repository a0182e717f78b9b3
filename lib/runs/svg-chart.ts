// A line chart as inline SVG markup: no script and no network, so a saved report opens anywhere.
export interface ChartSeries { name: string; color: string; points: [number, number][] }
export interface ChartMarker { x: number; label: string }

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const width = 640;
const height = 200;
const pad = { left: 48, right: 12, top: 12, bottom: 28 };

/** Nice round top for a y axis (1, 2 or 5 times a power of ten). */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

export function lineChart(title: string, unit: string, series: ChartSeries[], markers: ChartMarker[] = []): string {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const xMax = Math.max(1, ...xs);
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map(([, y]) => y))));
  const sx = (x: number) => pad.left + (x / xMax) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom);
  const lines = series.map((s) => `<polyline class="series" fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ")}"><title>${escapeHtml(s.name)}</title></polyline>`);
  const marks = markers.map((m) => `<line class="fault" x1="${sx(m.x).toFixed(1)}" x2="${sx(m.x).toFixed(1)}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#c0392b" stroke-dasharray="4 3"><title>${escapeHtml(m.label)}</title></line>`);
  const axes = [
    `<line x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#888"/>`,
    `<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#888"/>`,
    `<text x="${pad.left - 4}" y="${pad.top + 4}" text-anchor="end" font-size="10">${yMax}</text>`,
    `<text x="${pad.left - 4}" y="${height - pad.bottom}" text-anchor="end" font-size="10">0</text>`,
    `<text x="${width - pad.right}" y="${height - 8}" text-anchor="end" font-size="10">${(xMax / 1000).toFixed(1)} s</text>`,
  ];
  const legend = series.map((s) => `<span><i style="background:${s.color}"></i>${escapeHtml(s.name)}</span>`).join(" ");
  return `<figure class="chart"><figcaption>${escapeHtml(title)} (${escapeHtml(unit)})</figcaption><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${[...axes, ...marks, ...lines].join("")}</svg><div class="legend">${legend}</div></figure>`;
}
