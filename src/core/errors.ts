/**
 * The one error base of the package, the codes its shared parts raise, and the shape of each
 * API's error factory.
 *
 * `PuidError` and `PicketError` extend `PicketPuidError`, so a caller can catch one API's failures,
 * or both with `instanceof PicketPuidError`. No call of this package rejects with anything else:
 * transport failures (`TypeError`, `DOMException`) are wrapped, and the original is kept in `cause`.
 *
 * An error never holds a request, its headers or the client's options, so no secret can reach its
 * `message`, `String(err)`, `JSON.stringify(err)` or `util.inspect(err)`.
 */
import { keptHeaders } from "./redact.js";

/**
 * The codes the shared parts of the package raise, for either API. Each API adds its own
 * (`PuidCode`, `PicketCode`); code elsewhere names a code through these enums, never as a bare
 * string, so the compiler sees every code the package can raise. (A bundler inlines each use as
 * its string, so naming codes this way costs no bytes.)
 */
export enum CoreCode {
  /** An option has a value that cannot work (`timeout: 0`, `maxRetries: 1.5`). */
  invalidOption = "invalid_option",
  /** The request could not be built from the arguments given. */
  invalidRequest = "invalid_request",
  /** The endpoint is not an absolute http(s) URL, or carries credentials, a query or a fragment. */
  invalidEndpoint = "invalid_endpoint",
  /** Plain http to a host other than this machine, not allowed. */
  insecureEndpoint = "insecure_endpoint",
  /** No answer: the connection could not be made, or broke. */
  networkError = "network_error",
  /** An attempt took longer than `timeout`. */
  timeout = "timeout",
  /** The caller's signal ended the call. */
  aborted = "aborted",
  /** A success whose body is not what the API promises. */
  invalidResponse = "invalid_response",
  /** A redirect that is not followed, because following it could leak or mislead. */
  redirectRefused = "redirect_refused",
  /** An answer whose body is larger than `maxResponseBytes`; it was not read to its end. */
  responseTooLarge = "response_too_large",
  /** A secret credential given to a client in a web page, without `dangerouslyAllowBrowser: true`. */
  secretInBrowser = "secret_in_browser",
  /** The shared coordination store (Redis) did not answer in time; the client went on alone. */
  coordinationTimeout = "coordination_timeout",
  /** The shared coordination store cannot serve now (down, not connected, loading); the client went on alone. */
  coordinationUnavailable = "coordination_unavailable",
  /** The shared coordination store refused one command. */
  coordinationFailed = "coordination_failed",
}

/** A code the shared parts of the package raise. */
export type CoreErrorCode = `${CoreCode}`;

/** The fields an error is built from. `Code` is the list of codes the builder may raise. */
export interface ErrorInit<Code extends string = string> {
  /** What went wrong, for a person; never a secret. */
  message: string;
  /** The HTTP status, or `null` when no response arrived. */
  status?: number | null | undefined;
  /** The machine-readable code (see `PicketPuidError.code`). */
  code?: Code | null | undefined;
  /** The response headers, when there was a response. */
  headers?: Headers | null | undefined;
  /** The parsed response body, when there was one. */
  body?: unknown;
  /** The wait the server asked for, in ms. */
  retryAfterMs?: number | null | undefined;
  /** The underlying failure (a `TypeError` from `fetch`, an abort reason, a `SyntaxError`, ...). */
  cause?: unknown;
}

/** The fields of any error, the server's own codes included. */
export type PicketPuidErrorInit = ErrorInit<string>;

/**
 * Marks an error of this package with the kinds it is, under a key shared by every copy of the
 * package (`Symbol.for`), so `instanceof` holds across copies: an error made by the CommonJS build
 * is `instanceof` the ESM build's class, and the other way round.
 */
const KINDS = Symbol.for("picket-puid.error-kinds");

export class PicketPuidError<Code extends string = string> extends Error {
  /** The kind `instanceof` checks across copies of the package; each error class names its own. */
  static readonly kind: string = "PicketPuidError";

  /** `instanceof` that also recognises errors made by another copy of this package (its ESM or CommonJS build). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kinds = (value as { [KINDS]?: unknown } | null | undefined)?.[KINDS];
    return Object.hasOwn(this, "kind") && Array.isArray(kinds) && kinds.includes(this.kind);
  }

  override name = "PicketPuidError";
  /** The HTTP status of the response, or `null` when no response arrived (validation, network, timeout). */
  readonly status: number | null;
  /**
   * A machine-readable code: the API's own (`unauthorized`, `parameter_invalid`, ...) when the
   * response said one, a client-side one (`invalid_count`, `network_error`, `timeout`, ...)
   * otherwise, or `null` when the response had no readable code. The known codes are listed in
   * the type, and a code a server adds later still fits.
   */
  readonly code: Code | (string & {}) | null;
  /** The response headers, or `null` when no response arrived. */
  readonly headers: Headers | null;
  /** The parsed response body (JSON, else text), or `undefined` when there was none. */
  readonly body: unknown;
  /** How long the server asked the caller to wait before trying again, in ms, or `null`. */
  readonly retryAfterMs: number | null;

  constructor(init: PicketPuidErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    const kinds: string[] = [];
    for (let kind = new.target as unknown; kind && Object.hasOwn(kind, "kind"); kind = Object.getPrototypeOf(kind))
      kinds.push((kind as typeof PicketPuidError).kind);
    Object.defineProperty(this, KINDS, { value: kinds });
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    // No challenge or cookie a server set is kept: they may carry a credential.
    this.headers = init.headers ? keptHeaders(init.headers, []) : null;
    this.body = init.body;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  /**
   * What `JSON.stringify(error)` shows: the facts a log needs, nothing from the request. It never
   * throws: a body that cannot be serialized (nested too deep, a BigInt, a cycle) is described
   * instead of included.
   */
  toJSON(): Record<string, unknown> {
    let body = this.body;
    try {
      JSON.stringify(body);
    } catch {
      body = "[a body that cannot be serialized]";
    }
    return { name: this.name, message: this.message, status: this.status, code: this.code, retryAfterMs: this.retryAfterMs, body };
  }
}

/** An answer that is not a success, as an error factory reads it. */
export interface FailedAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  /** The request it answered, as `GET /v1/quota`, when known. */
  request?: string | undefined;
  /** How that request carried its credential, as `X-API-Key` or `Authorization: Bearer` (never its value), when known. */
  credential?: string | null | undefined;
}

/**
 * How one API makes its errors: the only way the package builds one. `make` takes only the
 * codes in the API's list, so the package cannot raise a code it does not declare.
 */
export interface ErrorFactory<Code extends string = string> {
  /** An error the package raises itself (bad input, transport, a malformed answer). */
  make(init: ErrorInit<Code>): PicketPuidError;
  /** The error for an answer that is not a success, from its body (parsed JSON, else text). */
  fromResponse(answer: FailedAnswer, body: unknown): PicketPuidError;
}
