import createClient, { type Client, type Middleware } from "openapi-fetch";
import { VERSION } from "../version.js";
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
}

/** A typed client, plus the way to give one call its own options. */
export interface ApiClient<Paths extends {}> {
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
  const forCall = createTransport(config.transport, config.options);
  const headers = config.options?.headers;
  const client = createClient<Paths, "application/json">({
    baseUrl: trimEndpoint(config.baseUrl),
    fetch: forCall(),
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
