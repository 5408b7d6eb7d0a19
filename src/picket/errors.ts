import { isRecord, text, type ApiErrors } from "../core/call.js";
import { PicketPuidError } from "../core/errors.js";
import { retryAfterMs } from "../core/retry.js";

/**
 * Every failure of a Picket call.
 *
 * - `status`: the HTTP status, or `null` for client-side validation and transport failures.
 * - `code`: the `code` of the server's `{msg, code}` body (`api_key_invalid`,
 *   `parameter_invalid`, `resource_not_found`, ...), a client-side code (`parameter_invalid`
 *   before any request, `network_error`, `timeout`, `aborted`, ...), or `null` when the server
 *   sent none.
 * - `message`: the server's `msg`; for a body without one, a message naming the status.
 * - `body`: the parsed response body (JSON, else text), as sent.
 */
export class PicketError extends PicketPuidError {
  override name = "PicketError";
}

/** How Picket failures become `PicketError`s (see `ApiErrors`). */
export const picketErrors: ApiErrors = {
  make: (init) => new PicketError(init),
  fromResponse(response, body) {
    const fields = isRecord(body) ? body : {};
    return new PicketError({
      status: response.status,
      code: text(fields.code) ?? null,
      message: text(fields.msg) ?? `Picket API request failed with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`,
      headers: response.headers,
      body,
      retryAfterMs: response.status === 429 || response.status === 503 ? retryAfterMs(response.headers) : null,
    });
  },
};

/** A `PicketError` for an argument the caller must fix; no request is sent. */
export function invalidParameter(message: string): PicketError {
  return new PicketError({ status: null, code: "parameter_invalid", message });
}
