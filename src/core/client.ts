import createClient, { type Client } from "openapi-fetch";
import type { Api } from "./api.js";
import { CoreCode } from "./errors.js";
import { DEFAULT_HEADERS } from "./headers.js";
import type { RequestOptions } from "./transport.js";

/**
 * The typed low-level client of an API: openapi-fetch, typed by the generated `paths`, sending
 * through the same transport as the facade (timeouts, retries, redirects, typed errors). Each
 * request gets `Accept: application/json` and a `User-Agent` unless it has them, then the
 * credentials. The `signal` of a call (openapi-fetch's own option) ends it at any stage.
 */
export function createLowLevelClient<Paths extends {}>(
  api: Api<Paths>,
  auth: Record<string, string>,
  options: RequestOptions,
): Client<Paths, "application/json"> {
  return createClient<Paths, "application/json">({
    baseUrl: api.baseUrl,
    // openapi-fetch merges these under each call's own, and its body serializer reads them.
    ...(options.headers ? { headers: options.headers } : {}),
    async fetch(request: Request) {
      const headers = { ...DEFAULT_HEADERS };
      request.headers.forEach((value, name) => (headers[name] = value));
      let body: ArrayBuffer | null;
      try {
        body = request.body ? await request.arrayBuffer() : null;
      } catch (cause) {
        throw api.errors.make({ status: null, code: CoreCode.invalidRequest, message: "The request body could not be read; see `cause`.", cause });
      }
      const reply = await api.send({ method: request.method, url: request.url, headers: { ...headers, ...auth }, body }, { signal: request.signal });
      const { status, statusText, bytes } = reply;
      // The bytes as they came, so `parseAs: "arrayBuffer"` or `"blob"` sees exactly what the server sent.
      return new Response(bytes.byteLength === 0 ? null : (bytes as Uint8Array<ArrayBuffer>), { status, statusText, headers: reply.headers });
    },
  });
}
