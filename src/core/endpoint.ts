/** Where a client may send its requests: checked once for the base URL, and again for every redirect. */
import { CoreCode, type ErrorFactory } from "./errors.js";
import { describeValue } from "./values.js";

/** Options about where a client sends its requests. */
export interface EndpointOptions {
  /**
   * Allow a plain `http://` base URL to a host other than this machine. Off by default, because
   * the API key or token would cross the network in the clear; `http://localhost`,
   * `http://127.x.x.x` and `http://[::1]` are always allowed, for local servers and mocks.
   */
  allowInsecureHttp?: boolean | undefined;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Why a request must not go to `url`, or `null` when it may: only http(s), and plain http only
 * to this machine unless the caller allowed it. Every URL a request goes to is held to this: the
 * client's endpoint, a typed call's own `baseUrl`, and every redirect.
 */
export function refusedTarget(url: URL, allowInsecureHttp: boolean | undefined): string | null {
  if (url.protocol !== "https:" && url.protocol !== "http:") return `${url.protocol} is not http(s)`;
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && allowInsecureHttp !== true) {
    return `plain http to ${url.host} would carry credentials in the clear (use https, or set allowInsecureHttp: true)`;
  }
  return null;
}

/**
 * Check a base URL before any request: it must be an absolute http(s) URL, and plain http only
 * to this machine unless the caller allowed it. Returns it without trailing slashes, so
 * `https://puid.dev/api/` and `https://puid.dev/api` are the same endpoint.
 */
export function checkBaseUrl(baseUrl: unknown, allowInsecureHttp: boolean | undefined, errors: ErrorFactory): string {
  const fail = (code: typeof CoreCode.invalidEndpoint | typeof CoreCode.insecureEndpoint, message: string) => errors.make({ status: null, code, message });
  let url: URL;
  try {
    url = new URL(baseUrl as string);
    if (typeof baseUrl !== "string" || !/^https?:$/.test(url.protocol)) throw new TypeError("not an http(s) URL"); // caught just below
  } catch {
    throw fail(CoreCode.invalidEndpoint, `The endpoint must be an absolute http(s) URL; got ${describeValue(baseUrl)}.`);
  }
  // A bare `?` or `#` parses as an empty query or fragment: refused too, or every path would be
  // appended after it and every call would go to the base path.
  if (url.username || url.password || /[?#]/.test(baseUrl)) {
    throw fail(CoreCode.invalidEndpoint, "The endpoint must not carry credentials, a query or a fragment (not even a bare ? or #).");
  }
  const refused = refusedTarget(url, allowInsecureHttp);
  if (refused) throw fail(CoreCode.insecureEndpoint, `Refusing the endpoint: ${refused}.`);
  return url.href.replace(/\/+$/, "");
}
