/**
 * The emulator's options, checked and filled with defaults once, at creation: a bad option throws
 * there (`TypeError` / `RangeError` naming it), never later as a strange answer.
 */
import type { SchemaSigningMessageFormat } from "../../generated/picket.js";
import type { PicketEmulatorOptions } from "../picket.js";
import type { Now } from "../serve.js";

/** The options with every default applied. */
export interface ResolvedOptions {
  readonly secretKeys: readonly string[];
  readonly publishableKeys: readonly string[];
  readonly projectId: string;
  readonly statement: string;
  readonly format: SchemaSigningMessageFormat;
  readonly redirectUris: readonly string[];
  readonly now: Now;
  readonly nonceTtlMs: number;
  readonly tokenTtlSeconds: number;
}

export const DEFAULT_STATEMENT = "Sign in to Picket Emulator";
export const DEFAULT_NONCE_TTL_MS = 2 * 60 * 1000;
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const randomKey = (prefix: string) => prefix + Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");

/** A list of keys, or one generated key with the prefix. Keys travel as a Basic user name: visible ASCII, no colon. */
function keyList(given: readonly string[] | undefined, name: string, prefix: string): readonly string[] {
  if (given === undefined) return Object.freeze([randomKey(prefix)]);
  if (!Array.isArray(given) || given.length === 0) throw new TypeError(`${name} must be a non-empty array of keys`);
  for (const key of given) {
    if (typeof key !== "string" || !/^[\x21-\x39\x3b-\x7e]+$/.test(key))
      throw new TypeError(`${name}: every key must be visible ASCII without spaces or colons`);
  }
  return Object.freeze(Array.from<string>(given));
}

function positive(value: number | undefined, name: string, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a positive ${integer ? "integer" : "number"}; got ${String(value)}`);
  }
  return value;
}

/** Check the options and apply the defaults (see `PicketEmulatorOptions`). */
export function resolveOptions(options: PicketEmulatorOptions = {}): ResolvedOptions {
  const secretKeys = keyList(options.secretKeys, "secretKeys", "sk_");
  const publishableKeys = keyList(options.publishableKeys, "publishableKeys", "pk_");
  const shared = secretKeys.find((key) => publishableKeys.includes(key));
  if (shared !== undefined) throw new TypeError("a key cannot be both a secret key and a publishable key");
  const projectId = options.projectId ?? crypto.randomUUID();
  if (typeof projectId !== "string" || !UUID.test(projectId)) throw new TypeError("projectId must be a UUID (it is every token's aud)");
  const statement = options.statement ?? DEFAULT_STATEMENT;
  if (typeof statement !== "string" || statement.trim() === "") throw new TypeError("statement must be a non-empty string");
  const format = options.format ?? "simple";
  if (format !== "simple" && format !== "siwe") throw new TypeError(`format must be "simple" or "siwe"; got ${JSON.stringify(format)}`);
  const redirectUris = Object.freeze([...(options.redirectUris ?? [])]);
  for (const uri of redirectUris) {
    if (typeof uri !== "string" || !URL.canParse(uri)) throw new TypeError(`redirectUris: ${JSON.stringify(uri)} is not an absolute URL`);
  }
  const now = options.now ?? Date.now;
  if (typeof now !== "function") throw new TypeError("now must be a function returning ms since the epoch");
  const nonceTtlMs = positive(options.nonceTtlMs, "nonceTtlMs", DEFAULT_NONCE_TTL_MS, false);
  const tokenTtlSeconds = positive(options.tokenTtlSeconds, "tokenTtlSeconds", DEFAULT_TOKEN_TTL_SECONDS, true);
  return { secretKeys, publishableKeys, projectId, statement, format, redirectUris, now, nonceTtlMs, tokenTtlSeconds };
}
