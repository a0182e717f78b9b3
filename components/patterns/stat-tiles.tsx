// A row of counters, drawn as the ledger's tiles (components/run/run.css): value, label, tone.
export type Tone = "neutral" | "good" | "warn" | "bad";

export interface Stat {
  label: string;
  value: string;
  tone?: Tone;
  title?: string;
}

export function StatTiles({ stats, label }: { stats: Stat[]; label: string }) {
  return (
    <div className="ledger pattern-stats" role="group" aria-label={label}>
      {stats.map((stat) => (
        <div key={stat.label} className={`ledger__item ledger__item--${stat.tone ?? "neutral"}`} title={stat.title}>
          <span className="ledger__value">{stat.value}</span>
          <span className="ledger__label">{stat.label}</span>
        </div>
      ))}
    </div>
  );
}
