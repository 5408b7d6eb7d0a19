/**
 * Solana signatures (reference §7.4): the wallet adapter signs the UTF-8 bytes of the message
 * with ed25519; the signature travels base58, and the wallet address is the base58 public key.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { base58 } from "@scure/base";

/** Whether the key `walletAddress` made `signature` (base58, 64 bytes) over `message`. */
export function verifySolana(message: string, signature: string, walletAddress: string): boolean {
  try {
    const publicKey = base58.decode(walletAddress);
    const bytes = base58.decode(signature);
    if (publicKey.length !== 32 || bytes.length !== 64) return false;
    return ed25519.verify(bytes, utf8ToBytes(message), publicKey);
  } catch {
    return false;
  }
}
