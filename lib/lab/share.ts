// Share links: the scenario's YAML, deflated and base64url-encoded into the URL hash (`#s=…`), so a
// link carries the whole scenario and no server stores anything. Uses the standard
// CompressionStream, which browsers and Node both have.

const prefix = "s=";
/** Browsers and chat apps cope with long URLs, but not endless ones. */
export const maxShareLength = 60_000;

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
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

/** The scenario text in a hash fragment (with or without `#`); undefined when there is none or it is damaged. */
export async function decodeShareHash(hash: string): Promise<string | undefined> {
  const fragment = hash.replace(/^#/, "");
  const part = fragment.split("&").find((p) => p.startsWith(prefix));
  if (!part) return undefined;
  try {
    const bytes = await pipe(fromBase64Url(part.slice(prefix.length)), new DecompressionStream("deflate-raw"));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
