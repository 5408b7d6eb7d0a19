// Type test (compiled by `npm run typecheck`, never run): chain slugs, chain types and message
// formats are open literal unions. The values Picket knows are members an editor offers, and a
// value Picket adds later still compiles, wherever the facade takes or returns one.
import { expectTypeOf } from "vitest";
import {
  createSigningMessage,
  Picket,
  SigningMessageFormat,
  type AccessTokenClaims,
  type AuthArgs,
  type AuthenticatedUser,
  type ChainInfo,
  type ChainSlug,
  type ChainType,
  type NonceArgs,
  type NonceResponse,
  type PicketAuthorizationUrlInit,
  type SigningMessageContext,
  type SigningMessageInput,
  type TokenOwnershipArgs,
} from "picket-puid/picket";

/** The literal members of an open union of strings: what an editor completes. The open arm (`string & {}`) is left out. */
type Known<T> = T extends string ? (string extends T ? never : T) : never;

// The known values are members, not swallowed into `string`.
expectTypeOf<Known<ChainSlug>>().toEqualTypeOf<"ethereum" | "polygon" | "optimism" | "arbitrum" | "avalanche" | "solana" | "flow">();
expectTypeOf<Known<ChainType>>().toEqualTypeOf<"ethereum" | "solana" | "flow">();
expectTypeOf<Known<SigningMessageFormat>>().toEqualTypeOf<"simple" | "siwe">();
expectTypeOf<ChainSlug>().not.toEqualTypeOf<string>();
expectTypeOf<SigningMessageFormat>().not.toEqualTypeOf<string>();

// A value not (yet) known still compiles, as a literal or as any string.
declare const fromConfig: string;
export const later: ChainSlug[] = ["fantom", fromConfig];
export const laterType: ChainType[] = ["aptos", fromConfig];
export const laterFormat: SigningMessageFormat[] = ["siwe-v2", fromConfig];

// The picket-node style constants are the literal values.
expectTypeOf(SigningMessageFormat.SIWE).toEqualTypeOf<"siwe">();

// Every place the facade takes or returns a slug, a chain type or a format uses the open union.
expectTypeOf<Exclude<NonceArgs["chain"], undefined>>().toEqualTypeOf<ChainSlug>();
expectTypeOf<Exclude<AuthArgs["chain"], undefined>>().toEqualTypeOf<ChainSlug>();
expectTypeOf<Exclude<TokenOwnershipArgs["chain"], undefined>>().toEqualTypeOf<ChainSlug>();
expectTypeOf<Parameters<Picket["chainInfo"]>[0]>().toEqualTypeOf<ChainSlug>();
expectTypeOf<Exclude<PicketAuthorizationUrlInit["chain"], undefined>>().toEqualTypeOf<ChainSlug>();
expectTypeOf<ChainInfo["chainSlug"]>().toEqualTypeOf<ChainSlug>();
expectTypeOf<ChainInfo["chainType"]>().toEqualTypeOf<ChainType>();
expectTypeOf<AuthenticatedUser["chain"]>().toEqualTypeOf<ChainSlug>();
expectTypeOf<AccessTokenClaims["chain"]>().toEqualTypeOf<ChainSlug>();
expectTypeOf<Exclude<SigningMessageContext["chainType"], undefined>>().toEqualTypeOf<ChainType>();
expectTypeOf<Exclude<NonceResponse["format"], undefined>>().toEqualTypeOf<SigningMessageFormat>();
expectTypeOf<Exclude<SigningMessageInput["format"], undefined>>().toEqualTypeOf<SigningMessageFormat>();

// In calls: a known value and a later one both compile.
export async function calls(picket: Picket, walletAddress: string): Promise<void> {
  await picket.nonce({ chain: "polygon", walletAddress });
  await picket.nonce({ chain: "fantom", walletAddress });
  await picket.chainInfo("solana");
  await picket.chainInfo("fantom");
  const { format = "simple", statement, nonce } = await picket.nonce({ walletAddress });
  createSigningMessage({ format, statement, walletAddress, nonce });
  createSigningMessage({
    format: "siwe",
    statement,
    walletAddress,
    nonce,
    domain: "a.example",
    uri: "https://a.example",
    chainId: 1,
    issuedAt: "2026-01-01T00:00:00Z",
    chainType: "aptos",
  });
}
