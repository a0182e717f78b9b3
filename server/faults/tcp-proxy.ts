// A TCP proxy between one service and one broker address. It passes bytes through untouched until
// a fault sets conditions: latency with jitter, a bandwidth cap, dropped bytes, a cut; or resets.
import { connect, createServer } from "node:net";
import type { Server, Socket } from "node:net";

export interface LinkConditions {
  /** Added to every chunk, each way; jitter is uniform in ±jitterMs. Order is always kept. */
  latencyMs: number;
  jitterMs: number;
  /** Each way, per connection; 0 = no cap. */
  bytesPerSecond: number;
  /** Bytes vanish both ways while connections stay open; when it ends, those connections are reset. */
  drop: boolean;
  /** Every connection is reset and new ones too, until it ends. */
  cut: boolean;
}

export const passThrough: LinkConditions = { latencyMs: 0, jitterMs: 0, bytesPerSecond: 0, drop: false, cut: false };

export interface ProxyStats {
  open: number;
  accepted: number;
  resets: number;
  bytesUp: number;
  bytesDown: number;
}

export interface TcpProxy {
  /** host:port the service connects to instead of the broker. */
  readonly address: string;
  readonly port: number;
  readonly target: string;
  conditions(): LinkConditions;
  setConditions(next: LinkConditions): void;
  /** Resets every open connection (the client sees ECONNRESET); returns how many. */
  reset(): number;
  stats(): ProxyStats;
  close(): Promise<void>;
}

const highWaterBytes = 4 * 1024 * 1024;

interface Link {
  client: Socket;
  upstream: Socket;
  /** Bytes were dropped on it: its protocol stream is broken. */
  damaged: boolean;
}

export async function createTcpProxy(options: { targetHost: string; targetPort: number; listenHost?: string; random?: () => number }): Promise<TcpProxy> {
  const random = options.random ?? Math.random;
  const links = new Set<Link>();
  let conditions: LinkConditions = { ...passThrough };
  const stats: ProxyStats = { open: 0, accepted: 0, resets: 0, bytesUp: 0, bytesDown: 0 };

  const resetLink = (link: Link) => {
    stats.resets += 1;
    link.client.resetAndDestroy();
    link.upstream.destroy();
  };

  // One direction of one connection: chunks wait in order until their release time.
  function pipe(link: Link, from: Socket, to: Socket, count: (bytes: number) => void): void {
    const queue: { chunk: Buffer; at: number }[] = [];
    let queued = 0;
    let lastAt = 0;
    let bandwidthFreeAt = 0;
    let timer: NodeJS.Timeout | undefined;
    let waitingDrain = false;
    let ended = false;

    const write = (chunk: Buffer) => {
      count(chunk.length);
      if (!to.write(chunk)) {
        waitingDrain = true;
        from.pause();
        to.once("drain", () => {
          waitingDrain = false;
          if (queued < highWaterBytes) from.resume();
        });
      }
    };
    const flush = () => {
      timer = undefined;
      const now = Date.now();
      while (queue.length > 0 && queue[0]!.at <= now) {
        const next = queue.shift()!;
        queued -= next.chunk.length;
        if (!to.destroyed) write(next.chunk);
      }
      if (queue.length > 0) timer = setTimeout(flush, queue[0]!.at - now);
      else if (ended) to.end();
      if (!waitingDrain && queued < highWaterBytes && from.isPaused()) from.resume();
    };
    const enqueue = (chunk: Buffer, c: LinkConditions) => {
      const now = Date.now();
      let at = now + Math.max(0, c.latencyMs + (c.jitterMs > 0 ? (random() * 2 - 1) * c.jitterMs : 0));
      if (c.bytesPerSecond > 0) {
        bandwidthFreeAt = Math.max(bandwidthFreeAt, now) + (chunk.length * 1000) / c.bytesPerSecond;
        at = Math.max(at, bandwidthFreeAt);
      }
      at = Math.max(at, lastAt);
      lastAt = at;
      queue.push({ chunk, at });
      queued += chunk.length;
      if (queued >= highWaterBytes) from.pause();
      if (!timer) timer = setTimeout(flush, Math.max(0, queue[0]!.at - now));
    };

    from.on("data", (chunk: Buffer) => {
      const c = conditions;
      if (c.drop) {
        link.damaged = true;
        return;
      }
      if (queue.length === 0 && c.latencyMs === 0 && c.jitterMs === 0 && c.bytesPerSecond === 0) return write(chunk);
      // A bandwidth cap releases a big chunk in slices, so the rate is smooth rather than bursty.
      const slice = c.bytesPerSecond > 0 ? Math.max(64, Math.floor(c.bytesPerSecond / 20)) : chunk.length;
      for (let offset = 0; offset < chunk.length; offset += slice) enqueue(chunk.subarray(offset, offset + slice), c);
    });
    from.on("end", () => {
      ended = true;
      if (queue.length === 0) to.end();
    });
    from.on("close", () => {
      // A peer that answers and closes at once (an HTTP server without keep-alive, such as moto)
      // ended cleanly: what is still held back by latency is delivered, then `to` is ended.
      if (timer && !ended) clearTimeout(timer);
    });
  }

  const server: Server = createServer((client) => {
    stats.accepted += 1;
    if (conditions.cut) {
      client.on("error", () => {});
      client.resetAndDestroy();
      stats.resets += 1;
      return;
    }
    client.setNoDelay(true);
    client.pause();
    const upstream = connect({ host: options.targetHost, port: options.targetPort });
    upstream.setNoDelay(true);
    upstream.setTimeout(10_000, () => upstream.destroy(new Error("connect timeout")));
    const link: Link = { client, upstream, damaged: false };
    links.add(link);
    stats.open += 1;
    let counted = true;
    const hardClose = () => {
      // A broker that is down or went away: the client sees a reset, as it would without the proxy.
      if (!client.destroyed) client.resetAndDestroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    const closed = (hadError: boolean) => {
      if (hadError) hardClose();
      if (counted && client.destroyed && upstream.destroyed) {
        counted = false;
        links.delete(link);
        stats.open -= 1;
      }
    };
    upstream.once("connect", () => {
      upstream.setTimeout(0);
      client.resume();
    });
    client.on("error", hardClose);
    upstream.on("error", hardClose);
    client.on("close", closed);
    upstream.on("close", closed);
    pipe(link, client, upstream, (n) => (stats.bytesUp += n));
    pipe(link, upstream, client, (n) => (stats.bytesDown += n));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.listenHost ?? "127.0.0.1", () => resolve());
  });
  server.on("error", () => {});
  const { port } = server.address() as { port: number };

  return {
    address: `${options.listenHost ?? "127.0.0.1"}:${port}`,
    port,
    target: `${options.targetHost}:${options.targetPort}`,
    conditions: () => ({ ...conditions }),
    setConditions(next) {
      const wasDropping = conditions.drop;
      conditions = { ...next };
      if (next.cut) for (const link of [...links]) resetLink(link);
      // Bytes lost while dropping broke the stream; a real connection would have timed out by now.
      if (wasDropping && !next.drop) for (const link of [...links]) if (link.damaged) resetLink(link);
    },
    reset() {
      const open = [...links];
      for (const link of open) resetLink(link);
      return open.length;
    },
    stats: () => ({ ...stats }),
    async close() {
      for (const link of [...links]) {
        link.client.destroy();
        link.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
