/**
 * `picket-puid/puid`: the PUID (Provably Unique IDentifier) API.
 * @packageDocumentation
 */
export { PUID_ENDPOINT, PUID_ENDPOINT as DEFAULT_ENDPOINT } from "./api.js";
export type { PuidClientOptions, PuidCredentials, PuidOptions } from "./api.js";
export { createPuidClient } from "./client.js";
export type { PuidClient } from "./client.js";
export { PuidCode, PuidError } from "./errors.js";
export type { PuidErrorCode, PuidErrorInit } from "./errors.js";
export { PicketPuidError } from "../core/errors.js";
export { TokenSource } from "../core/token-source.js";
export type { Token, TokenFetcher, TokenSourceOptions } from "../core/token-source.js";
export type { components as PuidComponents, paths as PuidPaths, operations as PuidOperations } from "../generated/puid.js";
export { Puid, Puid as default, MAX_IDS_PER_REQUEST } from "./puid.js";
export type { PuidInit, PuidQuota } from "./puid.js";
export type { RegisterClientInit, AuthorizationCodeInit, AuthorizationRequest, AuthorizationUrlInit, ClientCredentialsInit } from "./oauth.js";
export { PUID_ROUND_KEYS, createPuidCodec, decodePuid, encodePuid } from "./codec.js";
export type { PuidCodec } from "./codec.js";
export type { RequestOptions } from "../core/transport.js";
export type { ApiPromise } from "../core/api-promise.js";
export type { Logger, LogLevel } from "../core/log.js";
export type { Coordination, SharedPace, SharedSlot, SharedTokens } from "../core/coordination.js";
export type {
  SchemaIdsResponse as IdsResponse,
  SchemaOrdinalResponse as OrdinalResponse,
  SchemaQuotaResponse as QuotaResponse,
  SchemaTokenResponse as TokenResponse,
  SchemaClientRegistration as ClientRegistration,
  SchemaAuthorizationServerMetadata as AuthorizationServerMetadata,
} from "../generated/puid.js";
