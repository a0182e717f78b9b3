"use client";
// The replay's timeline: a range input over the recording (arrow keys step 100 ms, Page Up/Down a
// second, Home and End its ends), the faults marked where they happened (each a button that jumps
// there), and play/pause at 1×, 4× or 16×.
import { useEffect, useRef } from "react";
import { advance, playSpeeds } from "../../lib/runs/replay";
import type { FaultMark, PlaySpeed } from "../../lib/runs/replay";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const tickMs = 100;

export interface ReplayBarProps {
  elapsedMs: number;
  durationMs: number;
  marks: FaultMark[];
  playing: boolean;
  speed: PlaySpeed;
  onSeek(elapsedMs: number): void;
  onPlaying(playing: boolean): void;
  onSpeed(speed: PlaySpeed): void;
}

export function ReplayBar(props: ReplayBarProps) {
  const { elapsedMs, durationMs, marks, playing, speed, onSeek, onPlaying } = props;
  const position = useRef(elapsedMs);
  position.current = elapsedMs;

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const next = advance(position.current, now - last, speed, durationMs);
      last = now;
      onSeek(next);
      if (next >= durationMs) onPlaying(false);
    }, tickMs);
    return () => clearInterval(timer);
  }, [playing, speed, durationMs, onSeek, onPlaying]);

  const togglePlay = () => {
    // Playing from the end starts over, as a video player does.
    if (!playing && elapsedMs >= durationMs) onSeek(0);
    onPlaying(!playing);
  };

  return (
    <section className="replay-bar" aria-label="Replay timeline" data-testid="replay-bar">
      <div className="replay-bar__controls">
        <button type="button" className="button button--small" onClick={togglePlay} data-testid="replay-play" aria-pressed={playing}>
          {playing ? "❚❚ Pause" : "▶ Play"}
        </button>
        <span role="group" aria-label="Speed">
          {playSpeeds.map((s) => (
            <button key={s} type="button" className={`button button--small${s === speed ? " is-active" : ""}`} aria-pressed={s === speed} onClick={() => props.onSpeed(s)} data-testid={`replay-speed-${s}`}>
              {s}×
            </button>
          ))}
        </span>
        <span className="replay-bar__time" data-testid="replay-time">{seconds(elapsedMs)} of {seconds(durationMs)}</span>
      </div>
      <div className="replay-bar__track">
        <input type="range" min={0} max={durationMs} step={100} value={elapsedMs} onChange={(e) => onSeek(Number(e.target.value))}
          aria-label="Moment of the run" aria-valuetext={`${seconds(elapsedMs)} of ${seconds(durationMs)}`} data-testid="replay-scrubber" />
        <div className="replay-bar__marks">
          {marks.map((mark, index) => (
            <button key={index} type="button" className={`replay-bar__mark replay-bar__mark--${mark.kind}`} style={{ left: `${durationMs > 0 ? (mark.elapsedMs / durationMs) * 100 : 0}%` }}
              title={`${seconds(mark.elapsedMs)}: ${mark.label}`} aria-label={`Jump to ${seconds(mark.elapsedMs)}: ${mark.label}`} onClick={() => onSeek(mark.elapsedMs)} data-testid="replay-mark" />
          ))}
        </div>
      </div>
    </section>
  );
}
