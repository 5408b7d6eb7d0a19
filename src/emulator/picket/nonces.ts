/**
 * Nonces (reference §4.1, §7.3): one per project and wallet, handed out again while it lives,
 * gone `ttlMs` after it was made (two minutes by default), and used up by the login that signs
 * it. The nonce is alphanumeric and 16 characters long, so it also fits SIWE's grammar
 * (`[a-zA-Z0-9]{8,}`).
 */
import type { Now } from "../serve.js";

/** One nonce the emulator handed out, as the `nonces` view reports it. */
export interface NonceRecord {
  readonly nonce: string;
  /** The chain and wallet address of the request that created it. */
  readonly chain: string;
  readonly walletAddress: string;
  /** When it was made and when it stops being accepted, in ms since the epoch (emulator clock). */
  readonly createdAt: number;
  readonly expiresAt: number;
  /** When a login used it up, or `null`. */
  readonly consumedAt: number | null;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 16 random alphanumeric characters (rejection sampling keeps every character equally likely). */
function randomNonce(): string {
  let out = "";
  while (out.length < 16) {
    for (const byte of crypto.getRandomValues(new Uint8Array(24))) {
      if (byte < 248 && out.length < 16) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

export class NonceStore {
  readonly #now: Now;
  readonly #ttlMs: number;
  readonly #all: NonceRecord[] = [];
  /** The current record per wallet key (see `sameAddressKey`). */
  readonly #byWallet = new Map<string, NonceRecord>();

  constructor(now: Now, ttlMs: number) {
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  /** The live nonce of a wallet, made now if it has none. */
  issue(walletKey: string, chain: string, walletAddress: string): NonceRecord {
    const live = this.live(walletKey);
    if (live) return live;
    const createdAt = this.#now();
    const record: NonceRecord = { nonce: randomNonce(), chain, walletAddress, createdAt, expiresAt: createdAt + this.#ttlMs, consumedAt: null };
    this.#all.push(record);
    this.#byWallet.set(walletKey, record);
    return record;
  }

  /** The wallet's nonce if it is neither expired nor used, else `undefined`. */
  live(walletKey: string): NonceRecord | undefined {
    const record = this.#byWallet.get(walletKey);
    return record && record.consumedAt === null && this.#now() < record.expiresAt ? record : undefined;
  }

  /** Why a wallet has no live nonce, for the refusal's message. */
  whyNotLive(walletKey: string): string {
    const record = this.#byWallet.get(walletKey);
    if (!record) return "no nonce was requested for this wallet";
    return record.consumedAt !== null ? "the nonce was already used by a login" : "the nonce expired";
  }

  /** Use up the wallet's live nonce: a later login with it is refused. */
  consume(walletKey: string, record: NonceRecord): void {
    const used: NonceRecord = { ...record, consumedAt: this.#now() };
    this.#all[this.#all.indexOf(record)] = used;
    if (this.#byWallet.get(walletKey) === record) this.#byWallet.set(walletKey, used);
  }

  /** Every nonce handed out, oldest first (copies). */
  list(): NonceRecord[] {
    return this.#all.map((record) => ({ ...record }));
  }
}
