import { PicketPuidError, type CoreErrorCode, type ErrorFactory, type ErrorInit } from "../core/errors.js";
import { errorRetryHint } from "../core/retry.js";
import { isRecord, text } from "../core/values.js";

/**
 * Every code a `PuidError` can carry that this package knows: the server's own (puid-api.md §6)
 * and those the client raises. Code elsewhere names a code through this enum (or `CoreCode`).
 */
export enum PuidCode {
  // The server's /v1 codes.
  /** 400: `n` out of range, or a character outside base62 in an id. */
  badRequest = "bad_request",
  /** 401: no valid API key or token (a token without `puid:generate` included). */
  unauthorized = "unauthorized",
  /** 402: today's quota would be exceeded; nothing was issued. */
  quotaExceeded = "quota_exceeded",
  /** 404: a path the API does not know. */
  notFound = "not_found",
  /** 429: more than one `/v1/ids` request per second for the account. */
  rateLimited = "rate_limited",
  // The server's OAuth codes.
  /** 400: an unknown, expired or reused code or refresh token, or a failed PKCE check. */
  invalidGrant = "invalid_grant",
  /** 400: a grant type the server does not support. */
  unsupportedGrantType = "unsupported_grant_type",
  /** 400 from registration: no redirect URIs. */
  invalidRedirectUris = "invalid_redirect_uris",
  /** 400 from the authorize page: a redirect URI not registered for the client. */
  invalidRedirectUri = "invalid_redirect_uri",
  /** 401: unknown client, or a wrong secret (also raised before any request for a missing client id). */
  invalidClient = "invalid_client",
  /** The user denied the authorization. */
  accessDenied = "access_denied",
  // The client's own codes, raised before any request.
  /** Not exactly one credential. */
  invalidCredentials = "invalid_credentials",
  /** A count of ids outside 1–10, or not a whole number. */
  invalidCount = "invalid_count",
  /** Not an id: 1–22 base62 characters. */
  invalidPuid = "invalid_puid",
  /** Not an ordinal: a bigint from 0 to 2^128 − 1. */
  invalidOrdinal = "invalid_ordinal",
  /** A raw 128-bit value (the codec's `permute` / `unpermute`) outside 0 to 2^128 − 1. */
  invalidValue = "invalid_value",
  /** A malformed scope. */
  invalidScope = "invalid_scope",
  /** A scope, or a granted token, without `puid:generate`, which every `/v1` call needs. */
  insufficientScope = "insufficient_scope",
}

/** A code a `PuidError` carries: one of `PuidCode`, or a code the server adds later. */
export type PuidErrorCode = CoreErrorCode | `${PuidCode}`;

/**
 * Every failure of a PUID call.
 *
 * - `status`: the HTTP status, or `null` for client-side validation and transport failures.
 * - `code`: the server's `error` (`unauthorized`, `quota_exceeded`, `rate_limited`,
 *   `bad_request`, `invalid_client`, ...), a client-side code (`invalid_credentials`,
 *   `invalid_count`, `invalid_puid`, `network_error`, ...), or `null` when the body is not JSON.
 * - `message`: the server's `message`, else its `error`, else `Request failed with HTTP <status>.`
 */
export class PuidError extends PicketPuidError<PuidErrorCode> {
  static override readonly kind: string = "PuidError";
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
export interface PuidErrorInit extends ErrorInit<PuidErrorCode | (string & {})> {
  /** The server's `upgrade_url`, sent with 402 and 429. */
  upgradeUrl?: string | null | undefined;
}

/** A `PuidError` the package raises itself (`puidErrors.make`). */
const make = (init: ErrorInit<PuidErrorCode>): PuidError => new PuidError(init);

/** How PUID failures become `PuidError`s: the only way this package makes one. */
export const puidErrors: ErrorFactory<PuidErrorCode> = {
  make,
  fromResponse(response, body) {
    const fields = isRecord(body) ? body : {};
    const code = text(fields.error) ?? null;
    const detail = text(fields.detail);
    const said = text(fields.message) ?? text(fields.error_description) ?? (code && detail ? `${code}: ${detail}` : code);
    const what = response.request ? ` for ${response.request}` : "";
    // What to check, where the server's own words do not say it ("Send X-API-Key." to a request
    // that sent one; a bare "invalid_client").
    const key = response.credential === "X-API-Key";
    const advice: Record<string, string> = {
      // Which credential was sent (how, never its value), and what to check about that kind.
      unauthorized: `the ${key ? "API key" : "access token"} (sent as ${response.credential ?? "nothing"}) was refused: check it is current (not revoked or expired)${key ? "" : " and has the scope puid:generate"}`,
      invalid_client: "the OAuth client was refused: check the client id and secret, and that the client is registered with this server",
      not_found: "the server has no such API path: check the endpoint (it ends in /api)",
    };
    const message =
      code && advice[code]
        ? `HTTP ${response.status} ${code}${what}: ${advice[code]}.${said && said !== code ? ` The server said: ${said}` : ""}`
        : (said ?? `Request failed with HTTP ${response.status}${what}.`);
    return new PuidError({
      status: response.status,
      code,
      message,
      headers: response.headers,
      body,
      retryAfterMs: errorRetryHint(response.status, response.headers, typeof fields.retryAfterMs === "number" ? fields.retryAfterMs : null),
      upgradeUrl: text(fields.upgrade_url) ?? null,
    });
  },
};

/**
 * The error for an argument the caller must fix; nothing is sent. Made by `make` itself, not
 * through `puidErrors`, so code that only checks arguments (the offline codec) does not bundle how
 * an answer becomes an error.
 */
export const puidArgument = (code: PuidErrorCode) => (message: string) => make({ status: null, code, message });
