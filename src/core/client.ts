import createClient, { type Client } from "openapi-fetch";
import type { Api } from "./api.js";
import { refusedTarget } from "./endpoint.js";
import { CoreCode, PicketPuidError, type ErrorFactory } from "./errors.js";
import { DEFAULT_HEADERS } from "./headers.js";
import type { RequestOptions } from "./transport.js";
import { isRecord } from "./values.js";

/** How a typed client of one API is made: its API, credential headers, options, and the code for a bad argument. */
export interface LowLevelInit<Paths> {
  api: Api<Paths>;
  auth: Record<string, string>;
  options: RequestOptions & { allowInsecureHttp?: boolean | undefined };
  /** The code this API gives an argument the caller must fix (`invalid_request`, `parameter_invalid`). */
  argumentCode: string;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "request"] as const;

/**
 * The typed low-level client of an API: openapi-fetch, typed by the generated `paths`, sending
 * through the same transport as the facade (timeouts, retries, redirects, size limit, typed
 * errors). Each request gets `Accept: application/json` and a `User-Agent` unless it has them,
 * then the credentials. The `signal` of a call (openapi-fetch's own option) ends it at any stage.
 *
 * Like the facades, it rejects only with the API's error class: a body openapi-fetch cannot
 * serialize, a header it cannot set, an answer it cannot read; it refuses `.` and `..` as path
 * parameters (the URL parser would send the request elsewhere), and every URL a request goes to,
 * a call's own `baseUrl` included, passes the endpoint check.
 */
export function createLowLevelClient<Paths extends object>({ api, auth, options, argumentCode }: LowLevelInit<Paths>): Client<Paths, "application/json"> {
  const { errors } = api;
  const client = createClient<Paths, "application/json">({
    baseUrl: api.baseUrl,
    // openapi-fetch merges these under each call's own, and its body serializer reads them.
    ...(options.headers ? { headers: options.headers } : {}),
    async fetch(request: Request) {
      const refused = refusedTarget(new URL(request.url), options.allowInsecureHttp);
      if (refused) throw errors.make({ status: null, code: CoreCode.insecureEndpoint, message: `Refusing the request: ${refused}.` });
      const headers = { ...DEFAULT_HEADERS };
      request.headers.forEach((value, name) => (headers[name] = value));
      let body: ArrayBuffer | null;
      try {
        body = request.body ? await request.arrayBuffer() : null;
      } catch (cause) {
        throw errors.make({ status: null, code: CoreCode.invalidRequest, message: "The request body could not be read; see `cause`.", cause });
      }
      const answer = await api.send({ method: request.method, url: request.url, headers: { ...headers, ...auth }, body }, { signal: request.signal });
      const { status, statusText, bytes } = answer;
      if (answer.invalidJson !== undefined) {
        throw errors.make({
          status,
          code: CoreCode.invalidResponse,
          message: `The server answered HTTP ${status} with a body that is not valid JSON.`,
          cause: answer.invalidJson,
        });
      }
      // The bytes as they came, so `parseAs: "arrayBuffer"` or `"blob"` sees exactly what the server sent.
      try {
        return new Response(bytes.byteLength === 0 ? null : (bytes as Uint8Array<ArrayBuffer>), { status, statusText, headers: answer.headers });
      } catch (cause) {
        // A status outside 200–599, a body on a 205, a status text with a control character.
        throw errors.make({
          status,
          code: CoreCode.invalidResponse,
          message: `The server's answer (HTTP ${status}) cannot be represented as a Response; see \`cause\`.`,
          cause,
        });
      }
    },
  });
  for (const method of METHODS) {
    const original = client[method] as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => guarded(errors, argumentCode, () => original.apply(client, args), args);
  }
  return client;
}

/**
 * One typed call: `.` or `..` as a path parameter is refused before anything is sent; anything
 * thrown that is not the API's error (openapi-fetch serializing a BigInt, setting a header with a
 * line break, parsing a success that is not JSON) becomes the API's error, the original its cause.
 */
async function guarded(errors: ErrorFactory, argumentCode: string, call: () => Promise<unknown>, args: unknown[]): Promise<unknown> {
  try {
    const init = args.find((arg, i) => i > 0 && isRecord(arg)) as { params?: { path?: Record<string, unknown> } } | undefined;
    for (const [name, value] of Object.entries(init?.params?.path ?? {})) {
      if (value === "." || value === "..") {
        throw errors.make({
          status: null,
          code: argumentCode,
          message: `The path parameter '${name}' cannot be "${value}": it would change the request's path.`,
        });
      }
    }
    return await call();
  } catch (error) {
    if (error instanceof PicketPuidError) throw error;
    const built = error instanceof TypeError;
    throw errors.make({
      status: null,
      code: built ? CoreCode.invalidRequest : CoreCode.invalidResponse,
      message: built
        ? "The request could not be built (a body or header openapi-fetch cannot send); see `cause`."
        : "The answer could not be read; see `cause`.",
      cause: error,
    });
  }
}
