/**
 * Which signature check a chain type uses (reference §7.4), with the reason for a refusal.
 */
import type { SchemaChainType } from "../../generated/picket.js";
import { verifyEvm } from "./verify-evm.js";
import { verifyFlow, type FlowKeyring } from "./verify-flow.js";
import { verifySolana } from "./verify-solana.js";

/** `undefined` when `walletAddress` signed `message`, else why not (for the "invalid signature: …" message). */
export function signatureProblem(chainType: SchemaChainType, message: string, signature: string, walletAddress: string, flow: FlowKeyring): string | undefined {
  switch (chainType) {
    case "ethereum":
      return verifyEvm(message, signature, walletAddress) ? undefined : "the EIP-191 signature does not recover to this wallet over the expected message";
    case "solana":
      return verifySolana(message, signature, walletAddress)
        ? undefined
        : "the ed25519 signature does not verify with this wallet's key over the expected message";
    case "flow": {
      const keys = flow.get(walletAddress.toLowerCase());
      if (!keys) return `the emulator does not know the keys of Flow account ${walletAddress} (add it to flowAccounts)`;
      return verifyFlow(message, signature, keys) ? undefined : "no keys of this Flow account worth 1000 verify the signature over the expected message";
    }
  }
}
