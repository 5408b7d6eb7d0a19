/**
 * The chains the emulator supports (reference §7.1) and how each chain type writes addresses.
 * The fields follow our document's `ChainInfo`: Solana and Flow have no EVM `chainId`, and token
 * gating is off on Flow, as the document's example of `GET /chains` shows.
 */
import { base58 } from "@scure/base";
import type { SchemaChainInfo, SchemaChainType } from "../../generated/picket.js";
import { invalidParameter, notFound } from "./failure.js";

/** One chain, as `GET /chains/{chain}` answers it. */
export type ChainInfo = SchemaChainInfo & { chainType: SchemaChainType };

const evm = (chainSlug: string, chainId: number, chainName: string, publicRPC: string): ChainInfo => ({
  chainSlug,
  chainId,
  chainType: "ethereum",
  chainName,
  publicRPC,
  authorizationSupported: true,
});

/** Every supported chain, in the order `GET /chains` lists them. */
export const CHAINS: readonly ChainInfo[] = [
  evm("ethereum", 1, "Ethereum", "https://cloudflare-eth.com"),
  evm("polygon", 137, "Polygon", "https://polygon-rpc.com"),
  evm("optimism", 10, "Optimism", "https://mainnet.optimism.io"),
  evm("arbitrum", 42161, "Arbitrum One", "https://arb1.arbitrum.io/rpc"),
  evm("avalanche", 43114, "Avalanche", "https://api.avax.network/ext/bc/C/rpc"),
  { chainSlug: "solana", chainType: "solana", chainName: "Solana", publicRPC: "https://api.mainnet-beta.solana.com", authorizationSupported: true },
  { chainSlug: "flow", chainType: "flow", chainName: "Flow", publicRPC: "https://rest-mainnet.onflow.org", authorizationSupported: false },
];

/** The chain with this slug, or `undefined`. */
export function findChain(slug: unknown): ChainInfo | undefined {
  return CHAINS.find((chain) => chain.chainSlug === slug);
}

/** The chain named in a path: unknown is 404 `resource_not_found` (§4.7). */
export function chainFromPath(slug: string): ChainInfo {
  const chain = findChain(slug);
  if (!chain) throw notFound(`unsupported chain: ${slug}`);
  return chain;
}

/**
 * The chain named in a request body or query. Absent means `ethereum` where the docs give that
 * server default (`auth`, §4.2); where the default is the clients' (`nonce`, §4.1, §12) pass
 * `required`. Unknown is 400 `parameter_invalid`.
 */
export function chainFromBody(slug: unknown, required = false): ChainInfo {
  if (slug === undefined || slug === null || slug === "") {
    if (required) throw invalidParameter("chain is required");
    return CHAINS[0]!;
  }
  const chain = findChain(slug);
  if (!chain) throw invalidParameter(`unsupported chain: ${typeof slug === "string" ? slug : JSON.stringify(slug)}`);
  return chain;
}

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const FLOW_ADDRESS = /^0x[0-9a-fA-F]{16}$/;

/** Whether `address` is well formed for the chain type: EVM `0x`+40 hex, Flow `0x`+16 hex, Solana a base58 ed25519 key. */
export function isAddress(chainType: SchemaChainType, address: string): boolean {
  if (chainType === "ethereum") return EVM_ADDRESS.test(address);
  if (chainType === "flow") return FLOW_ADDRESS.test(address);
  try {
    return base58.decode(address).length === 32;
  } catch {
    return false;
  }
}

/**
 * The form under which two spellings of one address are the same: EVM and Flow addresses are hex,
 * so case does not matter (a checksummed and a lower-case EVM address are one wallet); base58 is
 * case-sensitive and stays as it is.
 */
export function sameAddressKey(chainType: SchemaChainType, address: string): string {
  return chainType === "solana" ? address : address.toLowerCase();
}

/** A `walletAddress` field: required, and well formed for the chain (400 `parameter_invalid` otherwise). */
export function walletAddressOf(value: unknown, chain: ChainInfo, field = "walletAddress"): string {
  if (typeof value !== "string" || value === "") throw invalidParameter(`${field} is required`);
  if (!isAddress(chain.chainType, value)) throw invalidParameter(`${field} is not a valid ${chain.chainName} address: ${value}`);
  return value;
}
