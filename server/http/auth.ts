// Token access for when Brokerlab is exposed beyond this machine (BROKERLAB_TOKEN set).
// A browser opens /?token=…, gets an HttpOnly cookie, and every later request and the socket carry it.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

export const tokenCookieName = "brokerlab_token";

export interface TokenAuth {
  required: boolean;
  /** The token a request presents: Authorization: Bearer, ?token= or the cookie. */
  accepts(presented: string | undefined): boolean;
  fromRequest(headers: IncomingHttpHeaders, url: URL): { token: string | undefined; fromQuery: boolean };
  /** The Set-Cookie value that remembers a token given once in the URL. */
  cookieFor(token: string, secure: boolean): string;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    // A malformed escape (%E0%A4%A) is a token no one was given: it fails the check with a 401.
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return rest.join("=");
    }
  }
  return undefined;
}

export function createTokenAuth(token: string | undefined): TokenAuth {
  const expected = token === undefined ? undefined : digest(token);
  return {
    required: expected !== undefined,
    accepts(presented) {
      if (!expected) return true;
      // Comparing digests keeps the comparison constant-time whatever the presented length.
      return presented !== undefined && timingSafeEqual(digest(presented), expected);
    },
    fromRequest(headers, url) {
      const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1]?.trim();
      if (bearer) return { token: bearer, fromQuery: false };
      const query = url.searchParams.get("token");
      if (query) return { token: query, fromQuery: true };
      return { token: readCookie(headers.cookie, tokenCookieName), fromQuery: false };
    },
    cookieFor(value, secure) {
      return `${tokenCookieName}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
    },
  };
}

export function isSecureRequest(request: IncomingMessage): boolean {
  return "encrypted" in request.socket && Boolean(request.socket.encrypted);
}
