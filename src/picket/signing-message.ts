import { invalidParameter } from "./errors.js";
import type { SigningMessageContext, SigningMessageFormat } from "./types.js";

/** What a signing message is made of: the nonce response, the wallet, and for SIWE the context. */
export type SigningMessageInput = {
  /**
   * `simple` or `siwe`, as the nonce response says (a project setting). **Left out, it means
   * `simple`**, as in Picket's own `createSigningMessage` (picket-js). Picket's login modal
   * assumes `siwe` for a project whose nonce answer has no format; the two disagree, so pass
   * the `format` the nonce response gives whenever it gives one.
   */
  format?: SigningMessageFormat | undefined;
  /** The statement from the nonce response. */
  statement: string;
  /** The address of the wallet that signs. */
  walletAddress: string;
  /** The nonce from `Picket.nonce`. */
  nonce: string;
} & Partial<SigningMessageContext>;

const CHAIN_WORD: Record<string, string> = { ethereum: "Ethereum", solana: "Solana", flow: "Flow" };

/**
 * The exact text a wallet signs for `Picket.auth`, built the way Picket's own browser library
 * builds it (the server rebuilds the same text to check the signature):
 *
 * - `simple` (also when `format` is left out): `statement`, a blank line,
 *   `Address: <walletAddress>`, `Nonce: <nonce>`.
 * - `siwe`: an EIP-4361 message — `<domain> wants you to sign in with your Ethereum account:`,
 *   the address, a blank line, the statement, a blank line, then `URI`, `Version: 1`,
 *   `Chain ID`, `Nonce` and `Issued At`. `domain`, `uri`, `issuedAt` and a non-zero `chainId`
 *   are needed; a `chainId` given as a string (`"137"`, `"0x89"`) is written as its decimal
 *   number (`137`). For `chainType` `solana` or `flow` every "Ethereum" becomes "Solana" or
 *   "Flow"; any other chain type (or none) keeps "Ethereum", as picket-js does, so a chain type
 *   Picket adds later still signs the text its server expects.
 *
 * @throws {PicketError} `parameter_invalid` for an unknown format or a missing field
 *   (`'domain' is required to create a SIWE signing message`).
 */
export function createSigningMessage(input: SigningMessageInput): string {
  const { format = "simple", statement, walletAddress, nonce } = input ?? ({} as SigningMessageInput);
  for (const [name, value] of [
    ["walletAddress", walletAddress],
    ["nonce", nonce],
  ] as const) {
    if (typeof value !== "string" || value === "") throw invalidParameter(`'${name}' is required to create a signing message`);
  }
  if (typeof statement !== "string") throw invalidParameter("'statement' is required to create a signing message");
  if (format === "simple") return `${statement}\n\nAddress: ${walletAddress}\nNonce: ${nonce}`;
  if (format !== "siwe") throw invalidParameter(`'format' must be "simple" or "siwe"; got ${JSON.stringify(format)}`);
  for (const name of ["domain", "uri", "issuedAt"] as const) {
    const value = input[name];
    if (typeof value !== "string" || value === "") throw invalidParameter(`'${name}' is required to create a SIWE signing message`);
  }
  const chainId = siweChainId(input.chainId);
  const { chainType } = input;
  if (chainType !== undefined && typeof chainType !== "string") throw invalidParameter(`'chainType' must be a string such as "ethereum", "solana" or "flow"`);
  const message = [
    `${input.domain} wants you to sign in with your Ethereum account:`,
    walletAddress,
    "",
    statement,
    "",
    `URI: ${input.uri}`,
    "Version: 1",
    `Chain ID: ${chainId}`,
    `Nonce: ${nonce}`,
    `Issued At: ${input.issuedAt}`,
  ].join("\n");
  const word = chainType !== undefined && Object.hasOwn(CHAIN_WORD, chainType) ? CHAIN_WORD[chainType]! : "Ethereum";
  return word === "Ethereum" ? message : message.replaceAll("Ethereum", word);
}

/** A SIWE chain ID: a positive integer, given as a number or as a decimal or `0x` string. */
function siweChainId(value: unknown): number {
  const id = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (id === undefined || id === null || id === "" || id === 0) throw invalidParameter("'chainId' is required to create a SIWE signing message");
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) {
    throw invalidParameter(`'chainId' must be a positive integer (or a decimal or 0x string of one); got ${JSON.stringify(value)}`);
  }
  return id;
}
