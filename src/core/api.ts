/**
 * A client of one API for the facades: its checked base URL, its transport, and typed calls that
 * build each request straight for `fetch` (no `Request` object per call: the facades' hot path).
 */
import { checkBaseUrl } from "./endpoint.js";
import { CoreCode, type ErrorFactory } from "./errors.js";
import { DEFAULT_HEADERS, lowerCase } from "./headers.js";
import { createTransport, type Outgoing, type RequestOptions, type Send, type TransportConfig } from "./transport.js";

/** What an API module tells `createApi`. */
export interface ApiConfig {
  /** Where the API lives; checked by `checkBaseUrl`, trailing slashes dropped. */
  baseUrl: unknown;
  allowInsecureHttp?: boolean | undefined;
  /** The headers that authenticate every request (static credentials); none when `transport.authorize` adds them per attempt. */
  auth: Record<string, string>;
  /** How this API's errors are built and which of its requests are safe to repeat. */
  transport: TransportConfig;
  /** Client-wide defaults for timeout, retries, signal, headers and fetch. */
  options?: RequestOptions | undefined;
}

type Method = "GET" | "POST";
type Operation<Paths, P extends keyof Paths, M extends Method> = Paths[P][Lowercase<M> & keyof Paths[P]];

/** The JSON body of an operation's success (200 or 201), as the generated types describe it. */
export type Success<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 ? (R[S] extends { content: { "application/json": infer J } } ? J : never) : never }[keyof R]
  : never;

/** The request body an operation takes, in any of its media types. */
export type RequestBody<Op> = Op extends { requestBody: { content: infer C } } ? C[keyof C] : Op extends { requestBody?: { content: infer C } } ? C[keyof C] : never;

/** What a facade method puts in one request. */
export interface CallInit<Op> {
  /** Values of the path's `{name}` parameters; each is percent-encoded. */
  path?: Record<string, string>;
  query?: Record<string, string | number>;
  /** Sent as JSON. */
  body?: RequestBody<Op>;
  headers?: Record<string, string>;
}

/** The calls of one client: typed by the API's generated `paths`. */
export interface Api<Paths> {
  /** The checked base URL, without a trailing slash. */
  baseUrl: string;
  /** The transport this client sends through (for the typed low-level client). */
  send: Send;
  /** How this API's errors are built. */
  errors: ErrorFactory;
  /**
   * One operation: the data of its success, or the API's error for anything else. Builds the
   * request straight for `fetch`, without a `Request` object per call: this is the facade's hot path.
   */
  call<P extends keyof Paths & string, M extends Method>(
    method: M,
    path: P,
    init?: CallInit<Operation<Paths, P, M>>,
    options?: RequestOptions | null,
  ): Promise<Success<Operation<Paths, P, M>>>;
}

/** A client of one API for the facade: checked base URL, the transport, and typed calls. */
export function createApi<Paths>(config: ApiConfig): Api<Paths> {
  const { transport, auth, options } = config;
  const { errors } = transport;
  const baseUrl = checkBaseUrl(config.baseUrl, config.allowInsecureHttp, errors);
  const send = createTransport(transport, options ?? {});
  // In the order they win: ours, the caller's client-wide and per-call headers, the credentials;
  // a body's type is set to match how the body was encoded. Most calls add nothing, and then send
  // this very object: no copy per call.
  const clientWide = lowerCase(options?.headers);
  const standard = { ...DEFAULT_HEADERS, ...clientWide, ...auth };
  return {
    baseUrl,
    send,
    errors,
    async call(method, path, init = {}, callOptions) {
      let request: Outgoing;
      try {
        const { query, body } = init;
        let url = baseUrl + (init.path ? path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(init.path![name]!)) : path);
        if (query) url += `?${Object.keys(query).map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(query[name]!)}`).join("&")}`;
        const payload = body === undefined ? null : JSON.stringify(body);
        const extra = callOptions?.headers;
        let sent = standard;
        if (payload !== null || extra || init.headers) {
          sent = { ...DEFAULT_HEADERS, ...clientWide, ...(extra && lowerCase(extra)), ...(init.headers && lowerCase(init.headers)) };
          // The label must say what the body is: a caller's own JSON type (`application/vnd.x+json`)
          // is kept; anything else gives way to `application/json`.
          const given = sent["content-type"];
          if (payload !== null && !(given && /json/i.test(given))) sent["content-type"] = "application/json";
          Object.assign(sent, auth);
        }
        request = { method, url, headers: sent, body: payload };
      } catch (error) {
        throw errors.make({ status: null, code: CoreCode.invalidRequest, message: "The request could not be built; see `cause`.", cause: error });
      }
      const reply = await send(request, callOptions);
      if (reply.status < 200 || reply.status > 299) throw errors.fromResponse(reply, reply.data ?? (reply.text === "" ? undefined : reply.text));
      // Every operation a facade calls answers its success with JSON: anything else (a captive
      // portal's HTML, an empty body, `null`) is not the promised answer.
      if (reply.data === undefined || reply.data === null) {
        const type = reply.headers.get("content-type");
        throw errors.make({
          status: reply.status,
          code: CoreCode.invalidResponse,
          message:
            reply.text === "" || reply.data === null
              ? `The server answered HTTP ${reply.status} without the expected JSON body.`
              : `The server answered HTTP ${reply.status} with a body that is not JSON (content-type ${type ?? "missing"}).`,
          headers: reply.headers,
          body: reply.text.slice(0, 1_000),
        });
      }
      return reply.data as never;
    },
  };
}


/**
 * Facades check the one field they hand back: a success whose body lacks it (a proxy's JSON, a
 * changed server) fails with `invalid_response` instead of resolving to `undefined`.
 */
export function expectShape(ok: boolean, errors: ErrorFactory, what: string, body: unknown): void {
  if (!ok) throw errors.make({ status: 200, code: CoreCode.invalidResponse, message: `The server's answer has no ${what}.`, body });
}
