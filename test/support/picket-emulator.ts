// Helpers for the Picket emulator tests: wallets that sign with code independent of the
// emulator's verifiers (viem for EVM, Node's crypto for ed25519 and Flow's ECDSA), raw calls that
// show exactly what the emulator answers, and one login helper built on the facade's
// createSigningMessage, so the facade's message and the emulator's must agree.
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { base58 } from "@scure/base";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSigningMessage } from "../../src/picket/index.js";
import type { FlowAccountKey, PicketEmulator } from "../../src/emulator/picket.js";

/** A wallet on a chain that can sign a login message. */
export interface TestWallet {
  chain: string;
  address: string;
  sign(message: string): Promise<string>;
}

/** An EVM wallet (viem's EIP-191 `signMessage`). */
export function evmWallet(chain = "ethereum"): TestWallet & { privateKey: `0x${string}` } {
  const privateKey = generatePrivateKey();
  const account = privateKeyToAccount(privateKey);
  return { chain, address: account.address, privateKey, sign: (message) => account.signMessage({ message }) };
}

/** A Solana wallet: an ed25519 key from Node's crypto; address and signature in base58. */
export function solanaWallet(): TestWallet {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  return {
    chain: "solana",
    address: base58.encode(raw),
    sign: async (message) => base58.encode(sign(null, Buffer.from(message, "utf8"), privateKey)),
  };
}

/** Flow's user domain tag: "FLOW-V0.0-user" in UTF-8, right-padded with zeros to 32 bytes. */
export const FLOW_USER_TAG = Buffer.concat([Buffer.from("FLOW-V0.0-user", "utf8"), Buffer.alloc(18)]);

const FLOW_CURVES = { ECDSA_P256: "prime256v1", ECDSA_secp256k1: "secp256k1" } as const;
const FLOW_HASHES = { SHA3_256: "sha3-256", SHA2_256: "sha256" } as const;

/** The x‖y hex of an EC public key, as Flow stores account keys. */
const rawPoint = (key: KeyObject) => {
  const jwk = key.export({ format: "jwk" });
  return Buffer.concat([Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]).toString("hex");
};

let flowCounter = 0;

/**
 * A Flow account with one key, signing as an FCL wallet does for `signUserMessage`: ECDSA over
 * hash(tag ‖ message), hex r‖s. `key` is the account key to give the emulator in `flowAccounts`.
 */
export function flowWallet(
  signatureAlgorithm: FlowAccountKey["signatureAlgorithm"] = "ECDSA_P256",
  hashAlgorithm: FlowAccountKey["hashAlgorithm"] = "SHA3_256",
  weight = 1000,
): TestWallet & { key: FlowAccountKey; signWith(privateKey: KeyObject, message: string): string; privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: FLOW_CURVES[signatureAlgorithm] });
  flowCounter += 1;
  const address = `0x${(0xf8d6e0586b0a20c0n + BigInt(flowCounter)).toString(16).padStart(16, "0")}`;
  const signWith = (key: KeyObject, message: string) =>
    sign(FLOW_HASHES[hashAlgorithm], Buffer.concat([FLOW_USER_TAG, Buffer.from(message, "utf8")]), { key, dsaEncoding: "ieee-p1363" }).toString("hex");
  return {
    chain: "flow",
    address,
    privateKey,
    key: { publicKey: rawPoint(publicKey), signatureAlgorithm, hashAlgorithm, weight },
    signWith,
    sign: async (message) => signWith(privateKey, message),
  };
}

/** `Basic base64(key + ":")`, the canonical header. */
export const basic = (key: string) => `Basic ${btoa(`${key}:`)}`;

/** What the emulator answered: status, parsed JSON body and headers. */
export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** Send one request to the emulator; `authorization: null` sends none. */
export async function call(
  emulator: PicketEmulator,
  method: string,
  path: string,
  options: { body?: unknown; authorization?: string | null; key?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const authorization = options.authorization === undefined ? basic(options.key ?? emulator.secretKeys[0]!) : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const response = await emulator.fetch(new Request(`http://127.0.0.1/api/v1${path}`, init));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** A SIWE context as picket-js makes it. */
export function siweContext(chainId = 1, chainType: "ethereum" | "solana" | "flow" = "ethereum") {
  return { domain: "app.example.com", uri: "https://app.example.com", chainId, issuedAt: new Date("2026-12-01T10:00:00.000Z").toISOString(), chainType };
}

/** The chain type of a slug, as the tests need it for SIWE contexts. */
export const chainTypeOf = (chain: string) => (chain === "solana" ? "solana" : chain === "flow" ? "flow" : "ethereum");

/**
 * A whole login: nonce, the message built by the facade's `createSigningMessage` from the nonce
 * answer (and `context` for siwe), the wallet's signature, then `POST /auth` with `extra` fields.
 */
export async function signIn(
  emulator: PicketEmulator,
  wallet: TestWallet,
  extra: {
    context?: Record<string, unknown>;
    /** The context the message is built with, when it differs from the one sent (e.g. a number where picket-go sends a string). */
    signedContext?: Record<string, unknown>;
    requirements?: unknown;
    key?: string;
    signature?: string;
    walletAddress?: string;
  } = {},
): Promise<Answer & { message: string; nonce: string }> {
  const key = extra.key ?? emulator.secretKeys[0]!;
  const nonce = await call(emulator, "POST", "/auth/nonce", { key, body: { chain: wallet.chain, walletAddress: wallet.address } });
  if (nonce.status !== 200) throw new Error(`nonce failed: ${nonce.status} ${JSON.stringify(nonce.body)}`);
  const context = extra.context ?? (nonce.body.format === "siwe" ? siweContext(1, chainTypeOf(wallet.chain)) : undefined);
  const signedContext = extra.signedContext ?? context;
  const message = createSigningMessage({
    format: nonce.body.format,
    statement: nonce.body.statement,
    walletAddress: wallet.address,
    nonce: nonce.body.nonce,
    ...(signedContext as object),
  });
  const signature = extra.signature ?? (await wallet.sign(message));
  const body: Record<string, unknown> = { chain: wallet.chain, walletAddress: extra.walletAddress ?? wallet.address, signature };
  if (context !== undefined) body.context = context;
  if (extra.requirements !== undefined) body.requirements = extra.requirements;
  return { ...(await call(emulator, "POST", "/auth", { key, body })), message, nonce: nonce.body.nonce };
}
