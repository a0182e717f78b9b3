// Share links: the scenario's YAML, deflated and base64url-encoded into the URL hash (`#s=…`), so a
// link carries the whole scenario and no server stores anything. Uses the standard
// CompressionStream, which browsers and Node both have. A shared scenario is untrusted text: the lab
// loads it like a file (lib/lab/document.ts validates it), and shows code only once it is valid.

const prefix = "s=";
/** Browsers and chat apps cope with long URLs, but not endless ones. */
export const maxShareLength = 60_000;
/** More text than any link Brokerlab makes inflates to: a link beyond it is refused, not unpacked (a deflate bomb). */
export const maxSharedTextBytes = 1_048_576;

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.length;
    if (size > limit) {
      await reader.cancel();
      throw new RangeError(`more than ${limit} bytes`);
    }
    chunks.push(chunk.value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(value: string): Uint8Array {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The hash fragment (without `#`) that carries `text`. */
export async function encodeShareHash(text: string): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
  return `${prefix}${toBase64Url(packed)}`;
}

/** The scenario text in a hash fragment (with or without `#`); undefined when there is none, it is damaged or too big. */
export async function decodeShareHash(hash: string): Promise<string | undefined> {
  const fragment = hash.replace(/^#/, "");
  const part = fragment.split("&").find((p) => p.startsWith(prefix));
  if (!part) return undefined;
  try {
    const bytes = await pipe(fromBase64Url(part.slice(prefix.length)), new DecompressionStream("deflate-raw"), maxSharedTextBytes);
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
