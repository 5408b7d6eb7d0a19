/** The options of a request, as a client sets them for every call and a call overrides them. */
import { fanOut } from "./abort.js";
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
}

/** The options of one call, settled: the call's own over the client's, and the defaults. */
export interface Settings {
  timeout: number;
  maxRetries: number;
  fetch: Fetch | undefined;
  /** Joins a call to the client-wide signal, when there is one. */
  join: ((controller: AbortController) => () => void) | undefined;
  /** The signal given for this call. */
  signal: AbortSignal | undefined;
}

const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_MAX_RETRIES = 2;

/** What each option must be: a test of a given value, and how to say it. */
const OPTION_RULES: [keyof RequestOptions, (value: any) => boolean, string][] = [
  ["timeout", (v) => typeof v === "number" && v > 0 && v <= 2_147_483_647, "a number of milliseconds from 1 to 2147483647"],
  ["maxRetries", (v) => Number.isInteger(v) && v >= 0 && v <= 10, "an integer from 0 to 10"],
  ["signal", (v) => v instanceof AbortSignal, "an AbortSignal"],
  ["fetch", (v) => typeof v === "function", "a function"],
  [
    "headers",
    (v) => isRecord(v) && Object.entries(v).every(([name, value]) => HEADER_NAME.test(name) && typeof value === "string" && HEADER_VALUE.test(value)),
    "an object of header names to string values (no line breaks)",
  ],
];

/** Refuse option values that cannot work, before any request. */
export function checkOptions(errors: ErrorFactory, options: RequestOptions): void {
  for (const [name, valid, what] of OPTION_RULES) {
    const value = options[name];
    if (value !== undefined && !valid(value)) {
      throw errors.make({ status: null, code: CoreCode.invalidOption, message: `${name} must be ${what}; got ${describeValue(value)}.` });
    }
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
      fetch: pick("fetch"),
      join,
      signal: call?.signal,
    };
  };
  const standard = settle(undefined);
  return (call) => (call == null ? standard : settle(call));
}
