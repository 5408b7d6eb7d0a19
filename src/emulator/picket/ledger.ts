/**
 * The emulator's "chain state": what each wallet holds, per chain. Requirements on `auth`,
 * `authz` and `tokenOwnership` are judged against it, where the real service asks a node
 * provider. Holdings use the kinds of `tokenBalances`: `contractAddress` (EVM token contracts),
 * `tokenIds` (SPL mints), `collection` (Metaplex collections) and `creatorAddress` (verified
 * creators), each mapping an identifier to a balance.
 */
import { findChain, sameAddressKey, type ChainInfo } from "./chains.js";
import { formatDecimal, parseDecimal, ZERO, type Decimal } from "./decimal.js";
import { BALANCE_KINDS, type BalanceKind, type BalanceLookup } from "./requirements.js";

/** A balance as given: a decimal string (`"3"`, `"0.5"`), a number or a bigint, never negative. */
export type BalanceInput = string | number | bigint;

/** One wallet's holdings, by kind then identifier: `{ contractAddress: { "0xa330…": "3" } }`. */
export type Holdings = Partial<Record<BalanceKind, Readonly<Record<string, BalanceInput>>>>;

/** Holdings by chain slug, then wallet address. */
export type LedgerInit = Readonly<Record<string, Readonly<Record<string, Holdings>>>>;

/** Holdings as the ledger reports them back: every balance a decimal string. */
export type LedgerSnapshot = Record<string, Record<string, Partial<Record<BalanceKind, Record<string, string>>>>>;

interface Entry {
  /** The identifier as it was first written, for snapshots. */
  id: string;
  balance: Decimal;
}

export class Ledger {
  // chain slug → wallet key → "kind\nid key" → entry
  readonly #chains = new Map<string, Map<string, { wallet: string; entries: Map<string, Entry> }>>();

  constructor(init: LedgerInit = {}) {
    for (const [chain, wallets] of Object.entries(init)) {
      if (!findChain(chain)) throw new TypeError(`ledger: unknown chain ${JSON.stringify(chain)}`);
      for (const [wallet, holdings] of Object.entries(wallets)) {
        for (const kind of Object.keys(holdings)) {
          if (!(BALANCE_KINDS as readonly string[]).includes(kind))
            throw new TypeError(`ledger.${chain}["${wallet}"]: unknown kind ${kind}; use ${BALANCE_KINDS.join(", ")}`);
          for (const [id, balance] of Object.entries(holdings[kind as BalanceKind] ?? {})) this.set(chain, wallet, kind as BalanceKind, id, balance);
        }
      }
    }
  }

  /**
   * Set one balance. EVM and Flow addresses match in any case, Solana's exactly.
   * @throws {TypeError} for an unknown chain or kind, {RangeError} for a negative or unreadable balance.
   */
  set(chainSlug: string, walletAddress: string, kind: BalanceKind, id: string, balance: BalanceInput): void {
    const chain = findChain(chainSlug);
    if (!chain) throw new TypeError(`unknown chain ${JSON.stringify(chainSlug)}`);
    if (!(BALANCE_KINDS as readonly string[]).includes(kind))
      throw new TypeError(`unknown balance kind ${JSON.stringify(kind)}; use ${BALANCE_KINDS.join(", ")}`);
    if (typeof walletAddress !== "string" || walletAddress === "" || typeof id !== "string" || id === "")
      throw new TypeError("walletAddress and the token identifier must be non-empty strings");
    const value = parseDecimal(balance);
    if (!value) throw new RangeError(`a balance must be a non-negative decimal; got ${String(balance)}`);
    const wallets = this.#chains.get(chain.chainSlug) ?? new Map<string, { wallet: string; entries: Map<string, Entry> }>();
    this.#chains.set(chain.chainSlug, wallets);
    const walletKey = sameAddressKey(chain.chainType, walletAddress);
    const wallet = wallets.get(walletKey) ?? { wallet: walletAddress, entries: new Map<string, Entry>() };
    wallets.set(walletKey, wallet);
    const key = `${kind}\n${sameAddressKey(chain.chainType, id)}`;
    wallet.entries.set(key, { id: wallet.entries.get(key)?.id ?? id, balance: value });
  }

  /** A wallet's balances on a chain (zero for whatever it was never given). */
  lookup(chain: ChainInfo, walletAddress: string): BalanceLookup {
    const entries = this.#chains.get(chain.chainSlug)?.get(sameAddressKey(chain.chainType, walletAddress))?.entries;
    return (kind, id) => entries?.get(`${kind}\n${sameAddressKey(chain.chainType, id)}`)?.balance ?? ZERO;
  }

  /** A copy of every balance, as decimal strings. */
  snapshot(): LedgerSnapshot {
    const out: LedgerSnapshot = {};
    for (const [chain, wallets] of this.#chains) {
      const perWallet: LedgerSnapshot[string] = (out[chain] = {});
      for (const { wallet, entries } of wallets.values()) {
        const holdings: Partial<Record<BalanceKind, Record<string, string>>> = (perWallet[wallet] = {});
        for (const [key, entry] of entries) {
          const kind = key.slice(0, key.indexOf("\n")) as BalanceKind;
          (holdings[kind] ??= {})[entry.id] = formatDecimal(entry.balance);
        }
      }
    }
    return out;
  }
}
