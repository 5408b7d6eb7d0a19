/**
 * How the Picket emulator refuses a request: every refusal is a `PicketFailure` thrown from a
 * handler, and the app's `onError` turns it into Picket's error body `{msg, code?}` (reference
 * §5.6, §6.1), so no answer can leave in another shape.
 */
import type { SchemaErrorResponse } from "../../generated/picket.js";

/** The statuses the emulator answers a refusal with (reference §6.2; 403 is our document's reading). */
export type FailureStatus = 400 | 401 | 403 | 404 | 500;

/** A refusal: the HTTP status and the `{msg, code?}` body to answer with. */
export class PicketFailure extends Error {
  override name = "PicketFailure";
  readonly status: FailureStatus;
  readonly code: string | undefined;
  /**
   * True when a well-formed login was turned down (bad signature, dead nonce, requirements not
   * met) rather than malformed: the OAuth authorize step redirects those with `access_denied`.
   */
  readonly denial: boolean;

  constructor(status: FailureStatus, msg: string, code?: string, denial = false) {
    super(msg);
    this.status = status;
    this.code = code;
    this.denial = denial;
  }

  /** The body Picket sends: `msg` always, `code` only when there is one. */
  body(): SchemaErrorResponse {
    return this.code === undefined ? { msg: this.message } : { msg: this.message, code: this.code };
  }
}

/** 400 `parameter_invalid`: a field is missing or malformed (§6.3). */
export const invalidParameter = (msg: string): PicketFailure => new PicketFailure(400, msg, "parameter_invalid");

/**
 * 400 `parameter_invalid` whose `msg` starts with "invalid signature": picket-js maps that
 * substring to "Signature expired" (§6.4), so a wrong signature, a wrong wallet and a dead nonce
 * all say it, followed by what the emulator found.
 */
export const invalidSignature = (detail: string): PicketFailure => new PicketFailure(400, `invalid signature: ${detail}`, "parameter_invalid", true);

/** 403 `permission_denied`: the wallet meets none of the requirements. */
export const permissionDenied = (msg: string): PicketFailure => new PicketFailure(403, msg, "permission_denied", true);

/** 404 `resource_not_found`. */
export const notFound = (msg: string): PicketFailure => new PicketFailure(404, msg, "resource_not_found");

/** An OAuth refusal: `{msg, code}` with one of the OAuth codes of §4.8 / §4.9. */
export const oauthFailure = (status: 400 | 401, code: string, msg: string): PicketFailure => new PicketFailure(status, msg, code);
