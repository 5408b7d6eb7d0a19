/** The headers every request carries unless the caller sets them, and header syntax checks. */
import { VERSION } from "../version.js";

export const USER_AGENT = `picket-puid/${VERSION}`;

/**
 * Browsers forbid scripts to set `User-Agent` (and some warn when one tries), so the header is
 * only sent where there is no DOM: Node, Bun, Deno, workers and edge runtimes.
 */
const userAgent: Record<string, string> = typeof (globalThis as { document?: unknown }).document === "undefined" ? { "user-agent": USER_AGENT } : {};

/** `Accept` and, outside browsers, `User-Agent`: sent unless the caller sets them. */
export const DEFAULT_HEADERS: Readonly<Record<string, string>> = { accept: "application/json", ...userAgent };

/** Header names in lower case, so a caller's `Accept` replaces ours instead of joining it. */
export function lowerCase(headers: Record<string, string> | undefined): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const name in headers) lower[name.toLowerCase()] = headers[name]!;
  return lower;
}

/** An HTTP token (RFC 9110 §5.6.2): what a header name may be. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value on one line: no CR, LF or other control character but tab. */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The headers that prove who is calling: never sent to another origin, and kept out of errors. */
export const CREDENTIAL_HEADERS: readonly string[] = ["authorization", "x-api-key", "cookie", "proxy-authorization"];
