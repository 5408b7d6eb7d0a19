/**
 * Token-gating requirements (reference §5.1): reading them from a request, and judging a wallet
 * against them. A wallet is allowed when it meets **any** requirement (a logical OR, docs
 * "testing"): the balance kinds (`contractAddress`, `tokenIds`, `collection`, `creatorAddress`)
 * each sum the balances of their identifiers and compare the sum with `minTokenBalance` (absent
 * or 0: more than zero; otherwise at least the minimum), and `allowedWallets` lists wallets that
 * pass whatever they hold.
 *
 * picket-js's local check (`meetsAuthRequirements`) keeps one running total across the kinds;
 * the emulator sums within a kind, which is what "any of the requirements" says.
 */
import type { SchemaChainType, SchemaTokenRequirementsBalances } from "../../generated/picket.js";
import { sameAddressKey, type ChainInfo } from "./chains.js";
import { add, compare, formatDecimal, isZero, parseDecimal, ZERO, type Decimal } from "./decimal.js";
import { invalidParameter, permissionDenied, type PicketFailure } from "./failure.js";

/** The requirement kinds that are balances, keyed as in `tokenBalances`. */
export const BALANCE_KINDS = ["contractAddress", "tokenIds", "collection", "creatorAddress"] as const;
export type BalanceKind = (typeof BALANCE_KINDS)[number];
const FIELDS: readonly string[] = [...BALANCE_KINDS, "allowedWallets", "minTokenBalance"];

/** Balances as the answers report them: kind → identifier → decimal string. */
export type TokenBalances = SchemaTokenRequirementsBalances;

/** A wallet's balance of one token identifier of a kind (zero when it holds none). */
export type BalanceLookup = (kind: BalanceKind, id: string) => Decimal;

/** Requirements read from a request; only the kinds that were given are present. */
export interface Requirements {
  readonly ids: Partial<Record<BalanceKind, readonly string[]>>;
  readonly allowedWallets: readonly string[] | undefined;
  readonly minTokenBalance: Decimal;
}

/**
 * Read requirements from a request. Absent, `{}` (what picket-python and picket-go send by
 * default) and fields that are empty (`""`, `[]`) mean "no requirements": `undefined`.
 *
 * @param where how the message names the object (`requirements`, `the body`).
 * @throws {PicketFailure} 400 `parameter_invalid` for a field of the wrong type, an unknown field
 *   (a misspelt field such as picket-go's `token_ids` would otherwise gate nothing), or a
 *   `minTokenBalance` with nothing to apply to.
 */
export function parseRequirements(value: unknown, where = "requirements"): Requirements | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParameter(`${where} must be an object`);
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => !FIELDS.includes(name));
  if (unknown.length > 0)
    throw invalidParameter(`unknown requirement field${unknown.length > 1 ? "s" : ""} in ${where}: ${unknown.join(", ")} (known: ${FIELDS.join(", ")})`);
  const ids: Partial<Record<BalanceKind, readonly string[]>> = {};
  for (const kind of BALANCE_KINDS) {
    const list = identifiers(kind, fields[kind]);
    if (list.length > 0) ids[kind] = list;
  }
  const allowedWallets = walletList(fields.allowedWallets);
  const minTokenBalance = minimum(fields.minTokenBalance);
  if (Object.keys(ids).length === 0 && allowedWallets === undefined) {
    if (minTokenBalance !== undefined) throw invalidParameter(`minTokenBalance needs a requirement to apply to: one of ${BALANCE_KINDS.join(", ")}`);
    return undefined;
  }
  return { ids, allowedWallets, minTokenBalance: minTokenBalance ?? ZERO };
}

/** The identifiers of one kind: `contractAddress` and `creatorAddress` take one string, `tokenIds` a list, `collection` either. */
function identifiers(kind: BalanceKind, value: unknown): string[] {
  if (value === undefined || value === null || value === "") return [];
  const single = kind === "contractAddress" || kind === "creatorAddress";
  if (typeof value === "string" && kind !== "tokenIds") return [value];
  if (!single && Array.isArray(value) && value.every((item): item is string => typeof item === "string" && item !== "")) return value.slice();
  const expected = single ? "a string" : kind === "tokenIds" ? "an array of strings" : "a string or an array of strings";
  throw invalidParameter(`${kind} must be ${expected}`);
}

function walletList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  // The wording picket-js matches (§6.4: "allowedwallets must be an array").
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) throw invalidParameter("allowedWallets must be an array of wallet addresses");
  return value.length > 0 ? [...value] : undefined;
}

function minimum(value: unknown): Decimal | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const parsed = parseDecimal(value);
  if (!parsed) throw invalidParameter(`minTokenBalance must be a non-negative decimal number or string; got ${JSON.stringify(value)}`);
  return parsed;
}

/** 400 when the chain cannot gate on tokens (picket-js matches "token gating", §6.4). */
export function requireGating(chain: ChainInfo): void {
  if (!chain.authorizationSupported) throw invalidParameter(`token gating is not supported on ${chain.chainSlug}`);
}

/** What judging a wallet found: whether it is allowed, and every balance it looked at. */
export interface Verdict {
  readonly allowed: boolean;
  /** Each requested identifier with the wallet's balance, zeros included, keyed as the request wrote it. */
  readonly tokenBalances: TokenBalances;
}

/** Judge a wallet against requirements, with its balances from `balanceOf`. */
export function evaluate(requirements: Requirements, balanceOf: BalanceLookup, walletAddress: string, chainType: SchemaChainType): Verdict {
  const tokenBalances: Record<string, Record<string, string>> = {};
  let allowed = false;
  for (const kind of BALANCE_KINDS) {
    const list = requirements.ids[kind];
    if (!list) continue;
    let total = ZERO;
    const found: Record<string, string> = (tokenBalances[kind] = {});
    for (const id of list) {
      const balance = balanceOf(kind, id);
      found[id] = formatDecimal(balance);
      total = add(total, balance);
    }
    const min = requirements.minTokenBalance;
    if (isZero(min) ? !isZero(total) : compare(total, min) >= 0) allowed = true;
  }
  const wallet = sameAddressKey(chainType, walletAddress);
  if (requirements.allowedWallets?.some((listed) => sameAddressKey(chainType, listed) === wallet)) allowed = true;
  return { allowed, tokenBalances };
}

/**
 * 403 `permission_denied` for a wallet that meets no requirement. An allow-list-only refusal says
 * "allowed wallet addresses", the phrase picket-js matches (§6.4).
 */
export function unmet(requirements: Requirements): PicketFailure {
  const tokens = Object.keys(requirements.ids).length > 0;
  const listed = requirements.allowedWallets !== undefined;
  if (!tokens) return permissionDenied("wallet is not in the list of allowed wallet addresses");
  return permissionDenied(`wallet does not meet the token requirements${listed ? " and is not in the list of allowed wallet addresses" : ""}`);
}

/** Balances proven earlier (a token's `tokenBalances`), read back as a lookup; EVM and Flow identifiers match in any case. */
export function lookupIn(balances: unknown, chainType: SchemaChainType): BalanceLookup {
  const table = new Map<string, Decimal>();
  if (typeof balances === "object" && balances !== null) {
    for (const [kind, map] of Object.entries(balances)) {
      if (typeof map !== "object" || map === null) continue;
      for (const [id, text] of Object.entries(map as Record<string, unknown>)) {
        const value = parseDecimal(text);
        if (value) table.set(`${kind}\n${sameAddressKey(chainType, id)}`, value);
      }
    }
  }
  return (kind, id) => table.get(`${kind}\n${sameAddressKey(chainType, id)}`) ?? ZERO;
}

/** `earlier` with `proven` laid over it, kind by kind: what a token from `authz` carries. */
export function mergeBalances(earlier: unknown, proven: TokenBalances): TokenBalances {
  const merged: Record<string, Record<string, string>> = {};
  for (const source of [earlier, proven]) {
    if (typeof source !== "object" || source === null) continue;
    for (const [kind, map] of Object.entries(source)) {
      if (typeof map === "object" && map !== null) merged[kind] = { ...merged[kind], ...(map as Record<string, string>) };
    }
  }
  return merged;
}
