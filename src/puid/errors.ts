import { isRecord, text, type ApiErrors } from "../core/call.js";
import { PicketPuidError, type PicketPuidErrorInit } from "../core/errors.js";
import { retryAfterMs } from "../core/retry.js";

/**
 * Every failure of a PUID call.
 *
 * - `status`: the HTTP status, or `null` for client-side validation and transport failures.
 * - `code`: the server's `error` (`unauthorized`, `quota_exceeded`, `rate_limited`,
 *   `bad_request`, `invalid_client`, ...), a client-side code (`invalid_credentials`,
 *   `invalid_count`, `invalid_puid`, `network_error`, ...), or `null` when the body is not JSON.
 * - `message`: the server's `message`, else its `error`, else `Request failed with HTTP <status>.`
 */
export class PuidError extends PicketPuidError {
  override name = "PuidError";
  /** Where the server suggests upgrading the plan (sent with 402 and 429), or `null`. */
  readonly upgradeUrl: string | null;

  constructor(init: PuidErrorInit) {
    super(init);
    this.upgradeUrl = init.upgradeUrl ?? null;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), upgradeUrl: this.upgradeUrl };
  }
}

/** The fields a `PuidError` is built from. */
export interface PuidErrorInit extends PicketPuidErrorInit {
  /** The server's `upgrade_url`, sent with 402 and 429. */
  upgradeUrl?: string | null;
}

/** How PUID failures become `PuidError`s (see `ApiErrors`). */
export const puidErrors: ApiErrors = {
  make: (init) => new PuidError(init),
  fromResponse(response, body) {
    const fields = isRecord(body) ? body : {};
    const code = text(fields.error) ?? null;
    const detail = text(fields.detail);
    const message =
      text(fields.message) ??
      text(fields.error_description) ??
      (code && detail ? `${code}: ${detail}` : code) ??
      `Request failed with HTTP ${response.status}.`;
    const bodyHint = typeof fields.retryAfterMs === "number" ? fields.retryAfterMs : null;
    return new PuidError({
      status: response.status,
      code,
      message,
      headers: response.headers,
      body,
      retryAfterMs: response.status === 429 || response.status === 503 ? retryAfterMs(response.headers, bodyHint) : null,
      upgradeUrl: text(fields.upgrade_url) ?? null,
    });
  },
};
