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
 * Check a base URL before any request: it must be an absolute http(s) URL, and plain http only
 * to this machine unless the caller allowed it. Returns it without trailing slashes, so
 * `https://puid.dev/api/` and `https://puid.dev/api` are the same endpoint.
 */
export function checkBaseUrl(baseUrl: unknown, allowInsecureHttp: boolean | undefined, errors: ErrorFactory): string {
  const fail = (code: typeof CoreCode.invalidEndpoint | typeof CoreCode.insecureEndpoint, message: string) => errors.make({ status: null, code, message });
  let url: URL;
  try {
    url = new URL(baseUrl as string);
    if (typeof baseUrl !== "string" || !/^https?:$/.test(url.protocol)) throw 0;
  } catch {
    throw fail(CoreCode.invalidEndpoint, `The endpoint must be an absolute http(s) URL; got ${describeValue(baseUrl)}.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw fail(CoreCode.invalidEndpoint, "The endpoint must not carry credentials, a query or a fragment.");
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && allowInsecureHttp !== true) {
    throw fail(CoreCode.insecureEndpoint, `Refusing plain http to ${url.host}: credentials would travel in the clear. Use https, or set allowInsecureHttp: true.`);
  }
  return url.href.replace(/\/+$/, "");
}
