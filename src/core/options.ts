/** The options of a request, as a client sets them for every call and a call overrides them. */
import { fanOut, MAX_TIMER_MS } from "./abort.js";
import { CoreCode, type ErrorFactory } from "./errors.js";
import { HEADER_NAME, HEADER_VALUE } from "./headers.js";
import { describeValue, isRecord } from "./values.js";

/** A `fetch` given by the caller. It is called as openapi-fetch calls it, with one ready `Request`; the global `fetch` fits. */
export type Fetch = (request: Request) => Promise<Response>;

/** Options that apply to every request of a client, and that any single call may override. */
export interface RequestOptions {
  /**
   * Milliseconds one attempt may take, from sending the request to the last byte of the
   * response body. Default 60 000. Each retry gets a fresh budget, so the worst case of a call is
   * about `(maxRetries + 1) × timeout` plus the waits between attempts. Ends with code `timeout`.
   */
  timeout?: number | undefined;
  /** How many times a failed attempt may be repeated (see each method for what is repeated). Default 2. */
  maxRetries?: number | undefined;
  /** Ends the call at any stage, waits between attempts included, with code `aborted`. */
  signal?: AbortSignal | undefined;
  /** Extra headers for the request. */
  headers?: Record<string, string> | undefined;
  /** The `fetch` to send with, default the global one. It receives one `Request`. */
  fetch?: Fetch | undefined;
  /**
   * The most bytes a response body may have, after decompression; default 4 MiB (4 194 304),
   * some thousand times the largest answer either API sends. A longer body is not read past the
   * limit: the connection is closed and the call fails with code `response_too_large`, and is
   * not repeated. Bounds the memory a broken or hostile server can make a call use.
   */
  maxResponseBytes?: number | undefined;
}

/** The options of one call, settled: the call's own over the client's, and the defaults. */
export interface Settings {
  timeout: number;
  maxRetries: number;
  maxResponseBytes: number;
  fetch: Fetch | undefined;
  /** Joins a call to the client-wide signal, when there is one. */
  join: ((controller: AbortController) => () => void) | undefined;
  /** The signal given for this call. */
  signal: AbortSignal | undefined;
}

export const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** What each option must be: a test of a given value, and how to say it. */
const OPTION_RULES: [keyof RequestOptions, (value: unknown) => boolean, string][] = [
  ["timeout", (v) => typeof v === "number" && v > 0 && v <= MAX_TIMER_MS, `a number of milliseconds from 1 to ${MAX_TIMER_MS}`],
  ["maxRetries", (v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 10, "an integer from 0 to 10"],
  ["maxResponseBytes", (v) => typeof v === "number" && Number.isSafeInteger(v) && v > 0, "a whole number of bytes above 0"],
  ["signal", (v) => v instanceof AbortSignal, "an AbortSignal"],
  ["fetch", (v) => typeof v === "function", "a function"],
  [
    "headers",
    (v) => isRecord(v) && Object.entries(v).every(([name, value]) => HEADER_NAME.test(name) && typeof value === "string" && HEADER_VALUE.test(value)),
    "an object of header names to string values (no line breaks)",
  ],
];

/**
 * Refuse option values that cannot work, before any request, and return the options as read
 * once: a getter or a Proxy that throws becomes `invalid_option` (its error the `cause`), and one
 * that would answer differently the next time is not asked again.
 */
export function checkOptions(errors: ErrorFactory, options: RequestOptions): RequestOptions {
  const read = readOptions(errors, options);
  checkKeys(errors, read, REQUEST_OPTIONS);
  for (const [name, valid, what] of OPTION_RULES) {
    const value = read[name];
    if (value !== undefined && !valid(value)) {
      throw errors.make({ status: null, code: CoreCode.invalidOption, message: `${name} must be ${what}; got ${describeValue(value)}.` });
    }
  }
  return read;
}

/** A plain copy of an options object (its headers too), or the API's `invalid_option` if reading it throws. */
export function readOptions<T extends object>(errors: ErrorFactory, options: T): T {
  try {
    const read = { ...options } as T & { headers?: unknown };
    if (isRecord(read.headers)) read.headers = { ...read.headers };
    return read;
  } catch (cause) {
    throw errors.make({
      status: null,
      code: CoreCode.invalidOption,
      message: "The options could not be read (a getter or a Proxy threw); see `cause`.",
      cause,
    });
  }
}

/**
 * The settings of a client: `settle(call)` gives each call's, the client's defaults under the
 * call's own options. The settings of a call without options are made once.
 */
export function clientSettings(defaults: RequestOptions): (call: RequestOptions | null | undefined) => Settings {
  const join = defaults.signal && fanOut(defaults.signal);
  const settle = (call: RequestOptions | undefined): Settings => {
    const pick = <K extends keyof RequestOptions>(key: K) => (call?.[key] !== undefined ? call[key] : defaults[key]);
    return {
      timeout: pick("timeout") ?? DEFAULT_TIMEOUT,
      maxRetries: pick("maxRetries") ?? DEFAULT_MAX_RETRIES,
      maxResponseBytes: pick("maxResponseBytes") ?? DEFAULT_MAX_RESPONSE_BYTES,
      fetch: pick("fetch"),
      join,
      signal: call?.signal,
    };
  };
  const standard = settle(undefined);
  return (call) => (call == null ? standard : settle(call));
}

/** The options every request takes: the names `checkKeys` accepts on top of a constructor's own. */
export const REQUEST_OPTIONS = ["timeout", "maxRetries", "signal", "headers", "fetch", "maxResponseBytes"] as const;

/**
 * Refuse option names a client does not know, so a misspelt or misplaced option (`baseURL` on
 * the PUID client, where it is `endpoint`) fails loudly instead of being ignored. `hints` maps a
 * known mistake to what to say about it.
 */
export function checkKeys(errors: ErrorFactory, options: object, known: readonly string[], hints: Record<string, string> = {}): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name) || options[name as keyof typeof options] === undefined) continue;
    const near = known.find((k) => k.toLowerCase() === name.toLowerCase());
    const hint = hints[name] ?? (near && `did you mean '${near}'?`);
    throw errors.make({
      status: null,
      code: CoreCode.invalidOption,
      message: `Unknown option '${name}'${hint ? `: ${hint}` : "."} Known options: ${known.join(", ")}.`,
    });
  }
}
