// One socket.io client, as a browser: starts a run with run:start and counts what the server sends
// it while the run is running (frames, bytes on the wire) until the run's report arrives.
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../lib/events";
import type { RunFrame } from "../../lib/run/model";

export interface LiveStats { frames: number; bytes: number; seconds: number; maxFrameBytes: number }

export async function watchRun(port: number, scenario: Record<string, unknown>, durationSeconds: number): Promise<LiveStats> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${port}`, { transports: ["websocket"], forceNew: true });
  let frames = 0;
  let bytes = 0;
  let maxFrameBytes = 0;
  let first = 0;
  let last = 0;
  let counting = false;
  socket.io.on("open", () => {
    // Every packet the server sends, as it travels (socket.io's JSON text over the WebSocket).
    socket.io.engine.on("packet", (packet: { data?: unknown }) => {
      if (!counting || typeof packet.data !== "string") return;
      const size = Buffer.byteLength(packet.data);
      bytes += size;
      maxFrameBytes = Math.max(maxFrameBytes, size);
    });
  });
  // The report ends the watch; so does the server going away.
  const reported = new Promise<void>((resolve) => {
    socket.on("run:report", () => resolve());
    socket.on("disconnect", () => resolve());
  });
  socket.on("run:frame", (frame: RunFrame) => {
    if (frame.status !== "running") {
      counting = false;
      return;
    }
    if (!counting && frames === 0) {
      counting = true;
      first = Date.now();
      return; // the window starts at the first frame
    }
    if (!counting) return;
    frames += 1;
    last = Date.now();
  });
  const started = await new Promise<AckResponse<{ runId: string }>>((resolve) => socket.emit("run:start", { scenario, durationSeconds }, resolve));
  if ("error" in started) {
    socket.disconnect();
    throw new Error(`run:start failed: ${started.error.message}`);
  }
  await reported;
  socket.disconnect();
  return { frames, bytes, seconds: Math.max((last - first) / 1000, 0.001), maxFrameBytes };
}
