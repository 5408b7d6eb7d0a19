/**
 * A client of one API for the facades: its checked base URL, its transport, and typed calls that
 * build each request straight for `fetch` (no `Request` object per call: the facades' hot path).
 */
import { ApiPromise } from "./api-promise.js";
import { checkBaseUrl } from "./endpoint.js";
import { CoreCode, PicketPuidError, type ErrorFactory } from "./errors.js";
import { DEFAULT_HEADERS, lowerCase } from "./headers.js";
import { createLog, type LogOptions } from "./log.js";
import { keptHeaders, redact } from "./redact.js";
import { attemptsNote, createTransport, type Answer, type Outgoing, type RequestOptions, type Send, type TransportConfig } from "./transport.js";

/** What an API module tells `createApi`. */
export interface ApiConfig {
  /** Where the API lives; checked by `checkBaseUrl`, trailing slashes dropped. */
  baseUrl: unknown;
  allowInsecureHttp?: boolean | undefined;
  /** The headers that authenticate every request (static credentials); none when `transport.authorize` adds them per attempt. */
  auth: Record<string, string>;
  /** How this API's errors are built and which of its requests are safe to repeat. */
  transport: TransportConfig;
  /** Client-wide defaults for timeout, retries, signal, headers and fetch, and where to log. */
  options?: (RequestOptions & LogOptions) | undefined;
}

type Method = "GET" | "POST";
type Operation<Paths, P extends keyof Paths, M extends Method> = Paths[P][Lowercase<M> & keyof Paths[P]];

/** The JSON body of an operation's success (200 or 201), as the generated types describe it. */
export type Success<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 ? (R[S] extends { content: { "application/json": infer J } } ? J : never) : never }[keyof R]
  : never;

/** The request body an operation takes, in any of its media types. */
export type RequestBody<Op> = Op extends { requestBody: { content: infer C } }
  ? C[keyof C]
  : Op extends { requestBody?: { content: infer C } }
    ? C[keyof C]
    : never;

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
  call: Call<Paths>;
  /**
   * A facade method: `work` checks its arguments and makes its calls (through the `call` it is
   * given), and the result is an `ApiPromise` whose `withResponse()` also gives the last answer.
   * Anything `work` throws that is not the API's error (a caller's getter that throws) becomes
   * `invalid_request`, with the original as `cause` (see `guard`).
   */
  run<T>(work: (call: Call<Paths>) => Promise<T>): ApiPromise<T>;
}

/** One operation of an API, typed by its generated `paths`. */
export type Call<Paths> = <P extends keyof Paths & string, M extends Method>(
  method: M,
  path: P,
  init?: CallInit<Operation<Paths, P, M>>,
  options?: RequestOptions | null,
  /** Receives the final answer (for `withResponse`). */
  seen?: (answer: Answer) => void,
) => Promise<Success<Operation<Paths, P, M>>>;

/** A client of one API for the facade: checked base URL, the transport, and typed calls. */
export function createApi<Paths>(config: ApiConfig): Api<Paths> {
  const { transport, auth, allowInsecureHttp } = config;
  const { errors } = transport;
  const { logger, logLevel, ...options } = config.options ?? {};
  const baseUrl = checkBaseUrl(config.baseUrl, allowInsecureHttp, errors);
  const send = createTransport({ ...transport, allowInsecureHttp, log: createLog(errors, logger, logLevel) }, options);
  // In the order they win: ours, the caller's client-wide and per-call headers, the credentials;
  // a body's type is set to match how the body was encoded. Most calls add nothing, and then send
  // this very object: no copy per call.
  const clientWide = lowerCase(options?.headers);
  const standard = { ...DEFAULT_HEADERS, ...clientWide, ...auth };
  const call: Call<Paths> = async (method, path, init = {}, callOptions, seen) => {
    let request: Outgoing;
    try {
      const { query, body } = init;
      let url = baseUrl + (init.path ? path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(init.path![name]!)) : path);
      if (query)
        url += `?${Object.keys(query)
          .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(query[name]!)}`)
          .join("&")}`;
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
    const answer = await send(request, callOptions);
    seen?.(answer);
    return dataOf(errors, answer) as never;
  };
  return {
    baseUrl,
    send,
    errors,
    call,
    run(work) {
      let last: Answer | undefined;
      // A method reads its arguments before its first call: what throws before then is theirs.
      let calling = false;
      const recorded: Call<Paths> = (method, path, init, options) => {
        calling = true;
        return call(method, path, init, options, (answer) => (last = answer));
      };
      return new ApiPromise(
        guard(
          errors,
          async () => ({ data: await work(recorded), reply: last }),
          () => !calling,
        ),
      );
    },
  };
}

/** The error for arguments that could not be read: a caller's getter or Proxy threw while they were read. */
export function unreadableArguments(errors: ErrorFactory, cause: unknown): PicketPuidError {
  return errors.make({
    status: null,
    code: CoreCode.invalidRequest,
    message: "The arguments could not be read (a getter or a Proxy threw); see `cause`.",
    cause,
  });
}

/**
 * Run a facade method's `work`: anything it throws that is not the API's error becomes
 * `invalid_request`, the original its `cause`, so a method rejects only with the API's error
 * class, whatever it is given. The message says the arguments could not be read only while
 * `reading()` says they were being read (a caller's getter or Proxy that throws); anything else
 * (a part given to the client that threw, a bug) is not blamed on the arguments.
 */
export async function guard<T>(errors: ErrorFactory, work: () => Promise<T>, reading: () => boolean = () => false): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PicketPuidError) throw error;
    if (reading()) throw unreadableArguments(errors, error);
    throw errors.make({
      status: null,
      code: CoreCode.invalidRequest,
      message: "The call failed with an error that is not the API's (from a part given to the client, or a bug); see `cause`.",
      cause: error,
    });
  }
}

/**
 * The data of an answer, or the API's error for anything else: an error status, or a success
 * without the JSON every operation a facade calls answers with (a captive portal's HTML, a
 * truncated body, `null`). What the error keeps of the answer has the request's secrets redacted,
 * since a server may echo back what it was sent.
 */
function dataOf(errors: ErrorFactory, answer: Answer): unknown {
  const { status } = answer;
  if (status >= 200 && status <= 299 && answer.data !== undefined && answer.data !== null) return answer.data;
  const secrets = answer.secrets();
  const headers = keptHeaders(answer.headers, secrets);
  const text = redact(answer.text, secrets);
  const error =
    status < 200 || status > 299
      ? errors.fromResponse({ ...answer, headers }, answer.data === undefined ? (text === "" ? undefined : text) : redact(answer.data, secrets))
      : errors.make({
          status,
          code: CoreCode.invalidResponse,
          message:
            text === "" || answer.data === null
              ? `The server answered ${answer.request} with HTTP ${status} and no JSON body.`
              : `The server answered ${answer.request} with HTTP ${status} and a body that is not ${answer.invalidJson === undefined ? "" : "valid "}JSON (content-type ${headers.get("content-type") ?? "missing"}).`,
          headers,
          body: text.slice(0, 1_000),
          cause: answer.invalidJson,
        });
  error.message += attemptsNote(answer.attempts, answer.elapsedMs);
  throw error;
}

/**
 * Facades check the one field they hand back: a success whose body lacks it (a proxy's JSON, a
 * changed server) fails with `invalid_response` instead of resolving to `undefined`.
 */
export function expectShape(ok: boolean, errors: ErrorFactory, what: string, body: unknown): void {
  if (!ok) throw errors.make({ status: 200, code: CoreCode.invalidResponse, message: `The server's answer lacks a valid ${what}.`, body });
}
