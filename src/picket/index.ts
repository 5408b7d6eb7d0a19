/**
 * `picket-puid/picket`: the Picket API (web3 wallet authentication and token gating).
 * @packageDocumentation
 */
export { PICKET_BASE_URL } from "./api.js";
export type { PicketOptions } from "./api.js";
export { createPicketClient } from "./client.js";
export type { PicketClient, PicketClientOptions } from "./client.js";
export { PicketCode, PicketError } from "./errors.js";
export type { PicketErrorCode, PicketErrorInit } from "./errors.js";
export { PicketPuidError } from "../core/errors.js";
export type { components as PicketComponents, paths as PicketPaths, operations as PicketOperations } from "../generated/picket.js";
export { Picket, Picket as default } from "./picket.js";
export type { AuthArgs, AuthRequest, AuthzArgs, NonceArgs, NonceRequest, TokenOwnershipArgs, TokenOwnershipRequest } from "./picket.js";
export { API_VERSION, ChainTypes, SigningMessageFormat } from "./types.js";
export type {
  AccessTokenClaims,
  AccessTokenPayload,
  AuthenticatedUser,
  AuthorizationRequirements,
  AuthRequirements,
  AuthResponse,
  AuthState,
  ChainInfo,
  ChainSlug,
  ChainType,
  ErrorResponse,
  NonceResponse,
  OAuthTokenResponse,
  SigningMessageContext,
  TokenOwnershipResponse,
  TokenRequirementsBalances,
} from "./types.js";
export type { AuthorizationCodeExchange, PicketAuthorizationRequest, PicketAuthorizationUrlInit } from "./oauth.js";
export { createSigningMessage } from "./signing-message.js";
export type { SigningMessageInput } from "./signing-message.js";
export type { RequestOptions } from "../core/transport.js";
export type { ApiPromise } from "../core/api-promise.js";
export type { Logger, LogLevel } from "../core/log.js";
