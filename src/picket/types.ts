/**
 * The types the Picket facade takes and returns, under names users can import. They are the
 * generated schema types with their open strings narrowed to the values Picket knows — each union
 * stays open (`| (string & {})`), so editors complete the known values while a value Picket adds
 * later still fits. picket-node's names (`AuthState`, `AuthRequirements`, `AccessTokenPayload`,
 * ...) are kept as aliases, so code written for it keeps compiling.
 */
import type {
  SchemaAccessTokenPayload,
  SchemaAuthenticatedUser,
  SchemaAuthorizationRequirements,
  SchemaChainInfo,
  SchemaNonceResponse,
  SchemaOAuthTokenResponse,
  SchemaSigningMessageContext,
  SchemaTokenOwnershipResponse,
  SchemaTokenRequirementsBalances,
} from "../generated/picket.js";

/** A chain's slug: those Picket lists (`GET /chains`), or one it adds later. */
export type ChainSlug = "ethereum" | "polygon" | "optimism" | "arbitrum" | "avalanche" | "solana" | "flow" | (string & {});

/** How a chain's wallets sign: EVM (`ethereum`), `solana` or `flow`, or a type Picket adds later. */
export type ChainType = "ethereum" | "solana" | "flow" | (string & {});

/**
 * The message format a project signs: plain text (`simple`) or Sign-In with Ethereum (`siwe`), or
 * a format Picket adds later (which `createSigningMessage` refuses, naming it).
 */
export type SigningMessageFormat = "simple" | "siwe" | (string & {});

/** The chain types, as picket-node names them (`ChainTypes.ETH`, ...). */
export const ChainTypes = { ETH: "ethereum", SOL: "solana", FLOW: "flow" } as const;
/** picket-node's enum was a type too: one of the chain types it names. */
export type ChainTypes = (typeof ChainTypes)[keyof typeof ChainTypes];

/** The message formats, as picket-node names them (`SigningMessageFormat.SIWE`, ...). */
export const SigningMessageFormat = { SIMPLE: "simple", SIWE: "siwe" } as const;

/** The fields that make a requirement (`minTokenBalance` only qualifies one). */
export const REQUIREMENT_KEYS = ["contractAddress", "tokenIds", "collection", "creatorAddress", "allowedWallets"] as const;

/** picket-node's `API_VERSION`: the version in the base URL. */
export const API_VERSION = "v1";

/** One supported chain. `chainId` is there for EVM chains. */
export interface ChainInfo extends Omit<SchemaChainInfo, "chainSlug" | "chainType"> {
  chainSlug: ChainSlug;
  chainType: ChainType;
}

/** The nonce to sign, the statement around it and the project's message format. */
export interface NonceResponse extends Omit<SchemaNonceResponse, "format"> {
  /** The project's format; older servers leave it out (then build a `simple` message, see `createSigningMessage`). */
  format?: SigningMessageFormat;
}

/** Balances per requirement kind, each a map from id or address to a decimal string. */
export type TokenRequirementsBalances = SchemaTokenRequirementsBalances;

/** Token-gating requirements (any one of them must be met). */
export interface AuthorizationRequirements extends SchemaAuthorizationRequirements {}

/** The wallet that logged in, and the balances it proved (`tokenBalances`, always present). */
export interface AuthenticatedUser extends Omit<SchemaAuthenticatedUser, "chain"> {
  chain: ChainSlug;
}

/** A login or authorization: the access token (an ES256 JWT) and the user. */
export interface AuthResponse {
  accessToken: string;
  user: AuthenticatedUser;
}

/** The claims of an access token, as `validate` returns them. */
export interface AccessTokenClaims extends Omit<SchemaAccessTokenPayload, "chain"> {
  chain: ChainSlug;
}

/** Whether a wallet meets the requirements, and the balances found. */
export interface TokenOwnershipResponse extends SchemaTokenOwnershipResponse {}

/** The answer of the OAuth code exchange. */
export interface OAuthTokenResponse extends Omit<SchemaOAuthTokenResponse, "user"> {
  user?: AuthenticatedUser;
}

/** What a SIWE message was built with, sent with `auth` so Picket can rebuild it. */
export interface SigningMessageContext extends Omit<SchemaSigningMessageContext, "chainType"> {
  chainType?: ChainType;
}

/** picket-node's and picket-js's name for `AuthResponse`. */
export type AuthState = AuthResponse;
/** picket-node's name for `AuthorizationRequirements`. */
export type AuthRequirements = AuthorizationRequirements;
/** picket-node's name for `AccessTokenClaims`. */
export type AccessTokenPayload = AccessTokenClaims;
/** picket-node's name for an error body: `{ msg, code? }` (a `PicketError` has both). */
export interface ErrorResponse {
  msg: string;
  code?: string;
}
