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
export type {
  components as PicketComponents,
  paths as PicketPaths,
  operations as PicketOperations,
} from "../generated/picket.js";
export { Picket } from "./picket.js";
export type { AuthArgs, AuthzArgs, NonceArgs, TokenOwnershipArgs } from "./picket.js";
export type { AuthorizationCodeExchange, PicketAuthorizationRequest, PicketAuthorizationUrlInit } from "./oauth.js";
export { createSigningMessage } from "./signing-message.js";
export type { SigningMessageInput } from "./signing-message.js";
export type { RequestOptions } from "../core/transport.js";
export type {
  SchemaAccessTokenPayload as AccessTokenPayload,
  SchemaAuthenticatedUser as AuthenticatedUser,
  SchemaAuthorizationRequirements as AuthorizationRequirements,
  SchemaAuthResponse as AuthResponse,
  SchemaChainInfo as ChainInfo,
  SchemaNonceResponse as NonceResponse,
  SchemaOAuthTokenResponse as OAuthTokenResponse,
  SchemaSigningMessageContext as SigningMessageContext,
  SchemaTokenOwnershipResponse as TokenOwnershipResponse,
} from "../generated/picket.js";
