import createClient, { type Client, type Middleware } from "openapi-fetch";
import { VERSION } from "../version.js";
import { describeValue } from "./call.js";
import { createTransport, type RequestOptions, type TransportConfig } from "./transport.js";

/** A `fetch` as openapi-fetch calls it: with one ready `Request`. The global `fetch` fits. */
export type Fetch = (request: Request) => Promise<Response>;

/** What an API module tells the shared client factory. */
export interface ApiClientConfig {
  /** Where the API lives; trailing slashes are dropped. */
  baseUrl: string;
  /** Headers that authenticate a request, asked for once per request (so a token can change). */
  auth: () => Record<string, string> | Promise<Record<string, string>>;
  /** How this API's errors are built and which of its requests are safe to repeat. */
  transport: TransportConfig;
  /** Client-wide defaults for timeout, retries, signal, headers and fetch. */
  options?: RequestOptions | undefined;
  /** Allow a plain `http://` base URL to a host that is not this machine (see `EndpointOptions`). */
  allowInsecureHttp?: boolean | undefined;
}

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
 * to this machine unless the caller allowed it. Returns it without trailing slashes.
 */
export function checkBaseUrl(baseUrl: unknown, allowInsecureHttp: boolean | undefined, errors: TransportConfig): string {
  const fail = (code: string, message: string) => errors.makeError({ status: null, code, message });
  let url: URL;
  try {
    if (typeof baseUrl !== "string") throw new TypeError("not a string");
    url = new URL(baseUrl);
  } catch {
    throw fail("invalid_endpoint", `The endpoint must be an absolute http(s) URL; got ${describeValue(baseUrl)}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw fail("invalid_endpoint", `The endpoint must use https; got ${url.protocol}//.`);
  if (url.username || url.password || url.search || url.hash) {
    throw fail("invalid_endpoint", "The endpoint must not carry credentials, a query or a fragment.");
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && allowInsecureHttp !== true) {
    throw fail(
      "insecure_endpoint",
      `Refusing plain http to ${url.host}: credentials would travel in the clear. Use https, or set allowInsecureHttp: true.`,
    );
  }
  return trimEndpoint(url.href);
}

/** A typed client, plus the way to give one call its own options. */
export interface ApiClient<Paths extends {}> {
  /** The openapi-fetch client, typed by the API's generated paths. */
  client: Client<Paths, "application/json">;
  /** The `fetch` for one call with these options over the client's defaults. */
  forCall: (options?: RequestOptions) => Fetch;
}

/** Drop every trailing slash, so `https://puid.dev/api/` and `https://puid.dev/api` are the same endpoint. */
export function trimEndpoint(endpoint: string): string {
  return endpoint.replace(/\/+$/, "");
}

/**
 * Browsers forbid scripts to set `User-Agent` (and some warn when one tries), so the header is
 * only sent where there is no DOM: Node, Bun, Deno, workers and edge runtimes.
 */
function userAgentAllowed(): boolean {
  return typeof (globalThis as { document?: unknown }).document === "undefined";
}

export const USER_AGENT = `picket-puid/${VERSION}`;

/**
 * An openapi-fetch client typed by an API's generated `paths`, sending through the transport
 * (timeouts, retries, redirects, typed errors), with one middleware that adds the auth headers,
 * `Accept: application/json` and a `User-Agent` naming this package.
 */
export function createApiClient<Paths extends {}>(config: ApiClientConfig): ApiClient<Paths> {
  const baseUrl = checkBaseUrl(config.baseUrl, config.allowInsecureHttp, config.transport);
  const transport = createTransport(config.transport, config.options);
  const standard = transport();
  // A call without options of its own uses the client's transport as it is: nothing to build.
  const forCall = (options?: RequestOptions) => (options === undefined || options === null ? standard : transport(options));
  const headers = config.options?.headers;
  const client = createClient<Paths, "application/json">({
    baseUrl,
    fetch: standard,
    ...(headers ? { headers } : {}),
  });
  const middleware: Middleware = {
    async onRequest({ request }) {
      for (const [name, value] of Object.entries(await config.auth())) request.headers.set(name, value);
      if (!request.headers.has("accept")) request.headers.set("accept", "application/json");
      if (userAgentAllowed() && !request.headers.has("user-agent")) request.headers.set("user-agent", USER_AGENT);
      return request;
    },
  };
  client.use(middleware);
  return { client, forCall };
}
