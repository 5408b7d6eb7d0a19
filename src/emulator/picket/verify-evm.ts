/**
 * EVM signatures (reference §7.4): EIP-191 `personal_sign`, as `signer.signMessage(message)`
 * makes them. The signed digest is keccak256("\x19Ethereum Signed Message:\n" + byte length +
 * message); the signature is `0x` + r (32 bytes) + s (32 bytes) + v (one byte: 27/28, or 0/1 from
 * wallets that skip the offset). The signer's address is recovered from it and compared.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";

/** The EIP-191 digest of a text message. */
export function personalMessageHash(message: string): Uint8Array {
  const bytes = utf8ToBytes(message);
  return keccak_256(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${bytes.length}`), bytes));
}

/** The address (`0x` + 40 lower-case hex) whose key made `signature` over `message`, or `undefined` when it is malformed. */
export function recoverAddress(message: string, signature: string): string | undefined {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return undefined;
  const bytes = hexToBytes(signature.slice(2));
  const v = bytes[64]!;
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) return undefined;
  try {
    // noble's "recovered" layout puts the recovery bit first, Ethereum's puts v last.
    const publicKey = secp256k1.recoverPublicKey(concatBytes(Uint8Array.of(recovery), bytes.subarray(0, 64)), personalMessageHash(message), { prehash: false });
    const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
    return `0x${bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(-20))}`;
  } catch {
    return undefined;
  }
}

/** Whether `walletAddress` (any case) signed `message`. */
export function verifyEvm(message: string, signature: string, walletAddress: string): boolean {
  return recoverAddress(message, signature) === walletAddress.toLowerCase();
}
