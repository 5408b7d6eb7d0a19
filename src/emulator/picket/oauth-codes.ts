/**
 * Authorization codes of the OAuth flow (reference §4.8, §4.9): made by a successful authorize,
 * bound to the client, the redirect URI and the PKCE challenge, short-lived, and good for one
 * exchange.
 */
import type { Now } from "../serve.js";
import type { TokenUser } from "./tokens.js";

/** How long a code can be exchanged: one minute (RFC 6749 §4.1.2 asks for "short", at most ten). */
export const CODE_TTL_MS = 60_000;

export interface AuthorizationCode {
  readonly code: string;
  /** The publishable key that asked for it. */
  readonly clientId: string;
  readonly redirectUri: string;
  /** `base64url(sha256(code_verifier))`, as the authorize request gave it. */
  readonly codeChallenge: string;
  /** The user the code's token will be for. */
  readonly user: TokenUser;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

export class CodeStore {
  readonly #now: Now;
  readonly #codes = new Map<string, AuthorizationCode>();

  constructor(now: Now) {
    this.#now = now;
  }

  /** A new code (32 random hex digits, like the docs' example) for these fields. */
  issue(fields: Omit<AuthorizationCode, "code" | "expiresAt" | "usedAt">): string {
    const code = hex(crypto.getRandomValues(new Uint8Array(16)));
    this.#codes.set(code, { ...fields, code, expiresAt: this.#now() + CODE_TTL_MS, usedAt: null });
    return code;
  }

  /** The code if it exists, has not expired and was never exchanged. */
  usable(code: string): AuthorizationCode | undefined {
    const record = this.#codes.get(code);
    return record && record.usedAt === null && this.#now() < record.expiresAt ? record : undefined;
  }

  /** Mark a code exchanged: it cannot be exchanged again. */
  use(record: AuthorizationCode): void {
    this.#codes.set(record.code, { ...record, usedAt: this.#now() });
  }
}
