import createClient, { type Client } from "openapi-fetch";
import type { Api } from "./api.js";

/**
 * The typed low-level client of an API: openapi-fetch, typed by the generated `paths`, sending
 * through the same transport as the facade (timeouts, retries, redirects, typed errors). Each
 * request gets `Accept: application/json` and a `User-Agent` unless it has them, then the
 * credentials. The `signal` of a call (openapi-fetch's own option) ends it at any stage.
 */
export function createLowLevelClient<Paths extends {}>(api: Api<Paths>, auth: Record<string, string>): Client<Paths, "application/json"> {
  return createClient<Paths, "application/json">({
    baseUrl: api.baseUrl,
    async fetch(request: Request) {
      const headers = { ...api.headers };
      request.headers.forEach((value, name) => (headers[name] = value));
      const body = request.body ? await request.arrayBuffer() : null;
      const reply = await api.send({ method: request.method, url: request.url, headers: { ...headers, ...auth }, body }, { signal: request.signal });
      const { status, statusText, text } = reply;
      return new Response(text === "" ? null : text, { status, statusText, headers: reply.headers });
    },
  });
}
