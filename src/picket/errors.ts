import { PicketPuidError, type CoreErrorCode, type ErrorFactory, type ErrorInit } from "../core/errors.js";
import { errorRetryHint } from "../core/retry.js";
import { isRecord, text } from "../core/values.js";

/**
 * Every code a `PicketError` can carry that this package knows: those Picket documents
 * (picket-api.md §6.3, the OAuth ones included) and those the client raises. Code elsewhere
 * names a code through this object.
 */
export enum PicketCode {
  /** An account is already linked to the wallet address. */
  accountExists = "account_exists",
  /** The key does not exist, or the Authorization header is malformed. */
  apiKeyInvalid = "api_key_invalid",
  /** The Authorization header is missing. */
  authenticationRequired = "authentication_required",
  /** One or more parameters are malformed (also raised before any request for a bad argument). */
  parameterInvalid = "parameter_invalid",
  /** Not found, or no permission to see it. */
  resourceNotFound = "resource_not_found",
  /** Not allowed (shown for unmet token requirements). */
  permissionDenied = "permission_denied",
  /** OAuth: an unknown client. */
  invalidClient = "invalid_client",
  /** OAuth: an unknown, expired or used code, or a wrong verifier or redirect URI. */
  invalidGrant = "invalid_grant",
  /** OAuth: the client may not use this flow (e.g. a redirect URI not on the allow-list). */
  unauthorizedClient = "unauthorized_client",
  /** OAuth: an unknown grant type. */
  unsupportedGrantType = "unsupported_grant_type",
}

/** A code a `PicketError` carries: one of `PicketCode`, or a code the server adds later. */
export type PicketErrorCode = CoreErrorCode | `${PicketCode}`;

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
export class PicketError extends PicketPuidError<PicketErrorCode> {
  static override readonly kind: string = "PicketError";
  override name = "PicketError";

  /** The message, under the name picket-node's rejections used (`err.msg`). */
  get msg(): string {
    return this.message;
  }
}

/** The fields a `PicketError` is built from. */
export type PicketErrorInit = ErrorInit<PicketErrorCode | (string & {})>;

/** A `PicketError` the package raises itself (`picketErrors.make`). */
const make = (init: ErrorInit<PicketErrorCode>): PicketError => new PicketError(init);

/** How Picket failures become `PicketError`s: the only way this package makes one. */
export const picketErrors: ErrorFactory<PicketErrorCode> = {
  make,
  fromResponse(response, body) {
    const fields = isRecord(body) ? body : {};
    return new PicketError({
      status: response.status,
      code: text(fields.code) ?? null,
      message:
        text(fields.msg) ??
        `Picket API request failed with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${response.request ? ` for ${response.request}` : ""}.`,
      headers: response.headers,
      body,
      retryAfterMs: errorRetryHint(response.status, response.headers, null),
    });
  },
};

/**
 * A `PicketError` for an argument the caller must fix; no request is sent. Made by `make` itself,
 * not through `picketErrors`, so code that only checks arguments (`createSigningMessage`) does not
 * bundle how an answer becomes an error.
 */
export function invalidParameter(message: string): PicketError {
  return make({ status: null, code: PicketCode.parameterInvalid, message });
}
