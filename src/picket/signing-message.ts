import type { SchemaChainType, SchemaSigningMessageContext, SchemaSigningMessageFormat } from "../generated/picket.js";
import { invalidParameter } from "./errors.js";

/** What a signing message is made of: the nonce response, the wallet, and for SIWE the context. */
export type SigningMessageInput = {
  /** `simple` or `siwe`, as the nonce response says (a project setting). */
  format: SchemaSigningMessageFormat;
  /** The statement from the nonce response. */
  statement: string;
  /** The address of the wallet that signs. */
  walletAddress: string;
  /** The nonce from `Picket.nonce`. */
  nonce: string;
} & Partial<SchemaSigningMessageContext>;

const SIWE_REQUIRED = ["statement", "domain", "uri", "issuedAt", "chainId"] as const;
const CHAIN_WORD: Record<SchemaChainType, string> = { ethereum: "Ethereum", solana: "Solana", flow: "Flow" };

/**
 * The exact text a wallet signs for `Picket.auth`, built the way Picket's own browser library
 * builds it (the server rebuilds the same text to check the signature):
 *
 * - `simple`: `statement`, a blank line, `Address: <walletAddress>`, `Nonce: <nonce>`.
 * - `siwe`: an EIP-4361 message — `<domain> wants you to sign in with your Ethereum account:`,
 *   the address, a blank line, the statement, a blank line, then `URI`, `Version: 1`,
 *   `Chain ID`, `Nonce` and `Issued At`; for `chainType` `solana` or `flow` every "Ethereum"
 *   becomes "Solana" or "Flow".
 *
 * @throws {PicketError} `parameter_invalid` for an unknown format or a missing field
 *   (`'domain' is required to create a SIWE signing message`).
 */
export function createSigningMessage(input: SigningMessageInput): string {
  const { format, statement, walletAddress, nonce } = input ?? ({} as SigningMessageInput);
  for (const [name, value] of [["walletAddress", walletAddress], ["nonce", nonce]] as const) {
    if (typeof value !== "string" || value === "") throw invalidParameter(`'${name}' is required to create a signing message`);
  }
  if (format === "simple") {
    if (typeof statement !== "string") throw invalidParameter("'statement' is required to create a signing message");
    return `${statement}\n\nAddress: ${walletAddress}\nNonce: ${nonce}`;
  }
  if (format !== "siwe") throw invalidParameter(`'format' must be "simple" or "siwe"; got ${JSON.stringify(format)}`);
  for (const name of SIWE_REQUIRED) {
    const value = input[name];
    if (value === undefined || value === null || value === "") throw invalidParameter(`'${name}' is required to create a SIWE signing message`);
  }
  const chainType = input.chainType ?? "ethereum";
  if (typeof chainType !== "string" || !Object.hasOwn(CHAIN_WORD, chainType)) throw invalidParameter(`'chainType' must be ethereum, solana or flow; got ${JSON.stringify(chainType)}`);
  const message = [
    `${input.domain} wants you to sign in with your Ethereum account:`,
    walletAddress,
    "",
    statement,
    "",
    `URI: ${input.uri}`,
    "Version: 1",
    `Chain ID: ${input.chainId}`,
    `Nonce: ${nonce}`,
    `Issued At: ${input.issuedAt}`,
  ].join("\n");
  return message.replaceAll("Ethereum", CHAIN_WORD[chainType]);
}
