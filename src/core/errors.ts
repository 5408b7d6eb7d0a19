/**
 * The one error base of the package. `PuidError` and `PicketError` extend it, so a caller can
 * catch one API's failures, or both with `instanceof PicketPuidError`. No call of this package
 * rejects with anything else: transport failures (`TypeError`, `DOMException`) are wrapped, and
 * the original is kept in `cause`.
 *
 * An error never holds a request, its headers or the client's options, so no secret can reach its
 * `message`, `String(err)`, `JSON.stringify(err)` or `util.inspect(err)`.
 */
export class PicketPuidError extends Error {
  override name = "PicketPuidError";
  /** The HTTP status of the response, or `null` when no response arrived (validation, network, timeout). */
  readonly status: number | null;
  /**
   * A machine-readable code: the API's own (`unauthorized`, `parameter_invalid`, ...) when the
   * response said one, a client-side one (`invalid_count`, `network_error`, `timeout`, ...)
   * otherwise, or `null` when the response had no readable code.
   */
  readonly code: string | null;
  /** The response headers, or `null` when no response arrived. */
  readonly headers: Headers | null;
  /** The parsed response body (JSON, else text), or `undefined` when there was none. */
  readonly body: unknown;
  /** How long the server asked the caller to wait before trying again, in ms, or `null`. */
  readonly retryAfterMs: number | null;

  constructor(init: PicketPuidErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.headers = init.headers ?? null;
    this.body = init.body;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  /** What `JSON.stringify(error)` shows: the facts a log needs, nothing from the request. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      retryAfterMs: this.retryAfterMs,
      body: this.body,
    };
  }
}

/** The fields an error is built from. */
export interface PicketPuidErrorInit {
  /** What went wrong, for a person; never a secret. */
  message: string;
  /** The HTTP status, or `null` when no response arrived. */
  status?: number | null;
  /** The machine-readable code (see `PicketPuidError.code`). */
  code?: string | null;
  /** The response headers, when there was a response. */
  headers?: Headers | null;
  /** The parsed response body, when there was one. */
  body?: unknown;
  /** The wait the server asked for, in ms. */
  retryAfterMs?: number | null;
  /** The underlying failure (a `TypeError` from `fetch`, an abort reason, a `SyntaxError`, ...). */
  cause?: unknown;
}
