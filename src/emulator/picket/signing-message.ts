/**
 * The text a wallet signed, rebuilt by the emulator from the nonce it handed out, the project's
 * statement and format, and the request's `context` (reference §7.4). Written apart from the
 * facade's `createSigningMessage` on purpose: a mistake in one shows up as a refused login.
 */
import type { SchemaChainType, SchemaSigningMessageFormat } from "../../generated/picket.js";
import { invalidParameter } from "./failure.js";

/** What a `siwe` message needs from the request's `context` (§5.2). */
export interface SiweContext {
  readonly domain: string;
  readonly uri: string;
  readonly chainId: number;
  readonly issuedAt: string;
}

const WORD: Record<SchemaChainType, string> = { ethereum: "Ethereum", solana: "Solana", flow: "Flow" };

/**
 * The SIWE fields of a request's `context`, checked. picket-go sends every field as a string
 * (`chainId: "1"`), picket-js a number; a hex string (`"0x89"`) is read as picket-js reads it.
 *
 * @param chainType the chain's own type: a `context.chainType` that names another is refused,
 *   since the message would say another chain's name; an empty one (picket-go) is ignored.
 * @throws {PicketFailure} 400 `parameter_invalid` naming the first missing or malformed field.
 */
export function siweContext(context: unknown, chainType: SchemaChainType): SiweContext {
  if (context !== undefined && context !== null && (typeof context !== "object" || Array.isArray(context))) throw invalidParameter("context must be an object");
  const fields = (context ?? {}) as Record<string, unknown>;
  const text = (name: "domain" | "uri" | "issuedAt"): string => {
    const value = fields[name];
    if (typeof value !== "string" || value.trim() === "")
      throw invalidParameter(`context.${name} is required for a siwe project: the signed message contains it`);
    return value;
  };
  const domain = text("domain");
  const uri = text("uri");
  const chainId = chainIdOf(fields.chainId);
  const issuedAt = text("issuedAt");
  if (Number.isNaN(Date.parse(issuedAt))) throw invalidParameter(`context.issuedAt must be an ISO 8601 date-time; got ${JSON.stringify(issuedAt)}`);
  const stated = fields.chainType;
  if (stated !== undefined && stated !== null && stated !== "" && stated !== chainType) {
    throw invalidParameter(`context.chainType is ${JSON.stringify(stated)} but the chain is of type ${chainType}`);
  }
  return { domain, uri, chainId, issuedAt };
}

/** A chain ID given as a number, a decimal string or a `0x` hex string; 0 or nothing is missing (as in picket-js). */
function chainIdOf(value: unknown): number {
  let id = Number.NaN;
  if (typeof value === "number") id = value;
  else if (typeof value === "string" && /^(\d+|0x[0-9a-fA-F]+)$/.test(value.trim())) id = Number(value.trim());
  if (value === undefined || value === null || value === "" || id === 0)
    throw invalidParameter("context.chainId is required for a siwe project: the signed message contains it");
  if (!Number.isSafeInteger(id) || id < 0)
    throw invalidParameter(`context.chainId must be a positive integer (a number, or a decimal or 0x string); got ${JSON.stringify(value)}`);
  return id;
}

/** Everything a message is built from. */
export interface MessageParts {
  readonly format: SchemaSigningMessageFormat;
  readonly statement: string;
  readonly walletAddress: string;
  readonly nonce: string;
  readonly chainType: SchemaChainType;
  /** Required for `siwe`, ignored for `simple`. */
  readonly siwe?: SiweContext | undefined;
}

/**
 * The message, exactly as the wallet signed it:
 *
 * - `simple`: the statement, a blank line, `Address: …`, `Nonce: …`;
 * - `siwe`: EIP-4361 as the `siwe` library prepares it (no expiration, not-before, request ID or
 *   resources), then every "Ethereum" replaced by "Solana" or "Flow" for those chain types.
 */
export function signingMessage(parts: MessageParts): string {
  if (parts.format === "simple") return [parts.statement, "", `Address: ${parts.walletAddress}`, `Nonce: ${parts.nonce}`].join("\n");
  const siwe = parts.siwe;
  if (!siwe) throw new TypeError("a siwe message needs its context");
  const lines = [
    `${siwe.domain} wants you to sign in with your Ethereum account:`,
    parts.walletAddress,
    "",
    parts.statement,
    "",
    `URI: ${siwe.uri}`,
    "Version: 1",
    `Chain ID: ${siwe.chainId}`,
    `Nonce: ${parts.nonce}`,
    `Issued At: ${siwe.issuedAt}`,
  ];
  return lines.join("\n").split("Ethereum").join(WORD[parts.chainType]);
}
