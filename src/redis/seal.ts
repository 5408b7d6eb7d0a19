/**
 * Tokens at rest: sealed with AES-256-GCM under a key derived from the OAuth client secret, so
 * `MONITOR`, `GET`, an RDB dump or a slow log shows only ciphertext, and a process that does not
 * hold the secret can neither read a token nor plant one that the others would accept.
 *
 * Key: HKDF-SHA-256 over the secret's UTF-8 bytes, salt `SEAL_SALT`, info `SEAL_INFO` (both fixed,
 * so every process derives the same key from the same secret). Each write draws a fresh 96-bit
 * IV. The Redis key the value is stored under is the additional authenticated data, so a value
 * copied to another key does not open there. Stored form: `v1.<base64 IV>.<base64 ciphertext and tag>`.
 */
import type { Token } from "../core/token-source.js";

/** The HKDF salt: fixed and public; what keeps a sealed token secret is the client secret. */
export const SEAL_SALT = "picket-puid/redis token seal";
/** The HKDF info: names what the derived key is for, version included. */
export const SEAL_INFO = "AES-256-GCM v1";

const VERSION = "v1";
const encode = (text: string) => new TextEncoder().encode(text);

/** Seals tokens for one Redis key with one secret. */
export interface Sealer {
  /** The token (access token, expiry and refresh token) as ciphertext. */
  seal(token: Token): Promise<string>;
  /** The token sealed in `stored`, or `null` when it does not open: another secret, another key, altered, or not ours. */
  open(stored: string): Promise<Token | null>;
}

/** A sealer for values stored under `redisKey`, with a key derived from `secret`. */
export function createSealer(secret: string, redisKey: string): Sealer {
  let key: Promise<CryptoKey> | undefined;
  const derive = () =>
    (key ??= crypto.subtle
      .importKey("raw", encode(secret), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: encode(SEAL_SALT), info: encode(SEAL_INFO) },
          material,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      ));
  const additionalData = encode(redisKey);

  return {
    async seal(token) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain: SealedFields = { a: token.accessToken, e: token.expiresAt };
      if (token.refreshToken !== undefined) plain.r = token.refreshToken;
      const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, await derive(), encode(JSON.stringify(plain)));
      return `${VERSION}.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
    },

    async open(stored) {
      const [version, iv, sealed, ...extra] = stored.split(".");
      if (version !== VERSION || !iv || !sealed || extra.length > 0) return null;
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv), additionalData }, await derive(), fromBase64(sealed));
      } catch {
        return null; // the tag does not verify: another secret, another key, or altered
      }
      return parseFields(new TextDecoder().decode(plain));
    },
  };
}

/** What is sealed, under short names that keep the stored value small. */
interface SealedFields {
  a: string;
  e: number | null;
  r?: string | null;
}

function parseFields(json: string): Token | null {
  let fields: unknown;
  try {
    fields = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof fields !== "object" || fields === null) return null;
  const { a, e, r } = fields as Partial<Record<keyof SealedFields, unknown>>;
  if (typeof a !== "string" || !(e === null || typeof e === "number")) return null;
  const token: Token = { accessToken: a, expiresAt: e };
  if (typeof r === "string" || r === null) token.refreshToken = r;
  return token;
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
