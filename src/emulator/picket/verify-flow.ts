/**
 * Flow signatures (reference §7.4), checked the way FCL's `verifyUserSignatures` has the chain
 * check them (the `FCLCrypto` contract):
 *
 * - picket-js asks the wallet for `signUserMessage(hex(message))`, so the signed data is the
 *   user domain tag — "FLOW-V0.0-user" in UTF-8, right-padded with zero bytes to 32 — followed by
 *   the message's UTF-8 bytes;
 * - the data is hashed with the account key's hash algorithm (SHA3-256 or SHA2-256) and checked
 *   with its ECDSA curve (P-256 or secp256k1); the signature is hex r‖s, 32 bytes each;
 * - revoked keys never count, and the signature is accepted when the weights of the account's
 *   keys that verify it add up to at least 1000.
 *
 * picket-js sends only the first composite signature's hex (not its key index), so the emulator
 * tries every key of the account. Accounts and keys come from the `flowAccounts` option: the
 * emulator has no Flow network to ask.
 */
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { sha3_256 } from "@noble/hashes/sha3.js";
import { concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";

/** One key of a Flow account, as the account's on-chain key list holds it. */
export interface FlowAccountKey {
  /** The public key: hex of the 64-byte uncompressed point without the `04` prefix (x‖y), as Flow stores it. */
  readonly publicKey: string;
  readonly signatureAlgorithm: "ECDSA_P256" | "ECDSA_secp256k1";
  readonly hashAlgorithm: "SHA3_256" | "SHA2_256";
  /** 0 to 1000; a signature needs keys worth 1000 together. */
  readonly weight: number;
  /** A revoked key verifies nothing. Default false. */
  readonly revoked?: boolean | undefined;
}

/** Flow accounts by address (`0x` + 16 hex digits), each with its keys. */
export type FlowAccounts = Readonly<Record<string, readonly FlowAccountKey[]>>;

interface PreparedKey {
  readonly curve: typeof p256;
  readonly hash: (data: Uint8Array) => Uint8Array;
  readonly publicKey: Uint8Array;
  readonly weight: number;
  readonly revoked: boolean;
}

/** The accounts' keys checked and decoded once, by lower-case address. */
export type FlowKeyring = ReadonlyMap<string, readonly PreparedKey[]>;

/** "FLOW-V0.0-user", right-padded with zeros to 32 bytes. */
export const USER_DOMAIN_TAG: Uint8Array = concatBytes(utf8ToBytes("FLOW-V0.0-user"), new Uint8Array(32 - 14));

const CURVES = { ECDSA_P256: p256, ECDSA_secp256k1: secp256k1 } as const;
const HASHES = { SHA3_256: sha3_256, SHA2_256: sha256 } as const;

/**
 * Check the `flowAccounts` option and decode its keys.
 * @throws {TypeError} naming the account and key that is malformed.
 */
export function flowKeyring(accounts: FlowAccounts = {}): FlowKeyring {
  const ring = new Map<string, PreparedKey[]>();
  for (const [address, keys] of Object.entries(accounts)) {
    if (!/^0x[0-9a-fA-F]{16}$/.test(address)) throw new TypeError(`flowAccounts: ${JSON.stringify(address)} is not a Flow address (0x and 16 hex digits)`);
    ring.set(
      address.toLowerCase(),
      keys.map((key, index) => prepare(key, `flowAccounts["${address}"][${index}]`)),
    );
  }
  return ring;
}

function prepare(key: FlowAccountKey, where: string): PreparedKey {
  const curve = Object.hasOwn(CURVES, key.signatureAlgorithm) ? CURVES[key.signatureAlgorithm] : undefined;
  const hash = Object.hasOwn(HASHES, key.hashAlgorithm) ? HASHES[key.hashAlgorithm] : undefined;
  if (!curve) throw new TypeError(`${where}.signatureAlgorithm must be ECDSA_P256 or ECDSA_secp256k1`);
  if (!hash) throw new TypeError(`${where}.hashAlgorithm must be SHA3_256 or SHA2_256`);
  if (!Number.isInteger(key.weight) || key.weight < 0 || key.weight > 1000) throw new TypeError(`${where}.weight must be an integer from 0 to 1000`);
  const hex = typeof key.publicKey === "string" ? key.publicKey.replace(/^0x/, "") : "";
  if (!/^[0-9a-fA-F]{128}$/.test(hex)) throw new TypeError(`${where}.publicKey must be 128 hex digits (x‖y, no 04 prefix)`);
  const publicKey = concatBytes(Uint8Array.of(4), hexToBytes(hex));
  try {
    curve.Point.fromBytes(publicKey).assertValidity();
  } catch {
    throw new TypeError(`${where}.publicKey is not a point on ${key.signatureAlgorithm}`);
  }
  return { curve, hash, publicKey, weight: key.weight, revoked: key.revoked === true };
}

/** The signed bytes for a user message: the domain tag, then the message. */
export const userSignedData = (message: string): Uint8Array => concatBytes(USER_DOMAIN_TAG, utf8ToBytes(message));

/** Whether `signature` (hex r‖s, `0x` optional) over `message` carries weight 1000 among `keys`. */
export function verifyFlow(message: string, signature: string, keys: readonly PreparedKey[]): boolean {
  const hex = signature.replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{128}$/.test(hex)) return false;
  const bytes = hexToBytes(hex);
  const data = userSignedData(message);
  let weight = 0;
  for (const key of keys) {
    if (key.revoked) continue;
    try {
      // Flow's ECDSA accepts either s (no low-S rule), and the digest is the key's own hash.
      if (key.curve.verify(bytes, key.hash(data), key.publicKey, { prehash: false, lowS: false })) weight += key.weight;
    } catch {
      // a malformed r or s verifies nothing
    }
  }
  return weight >= 1000;
}
