/**
 * `picket-puid/puid`: the PUID (Provably Unique IDentifier) API.
 * @packageDocumentation
 */
export { createPuidClient, PUID_ENDPOINT } from "./client.js";
export type { PuidClient, PuidClientOptions, PuidCredentials } from "./client.js";
export { PuidError } from "./errors.js";
export type { PuidErrorInit } from "./errors.js";
export { PicketPuidError } from "../core/errors.js";
export type { components as PuidComponents, paths as PuidPaths, operations as PuidOperations } from "../generated/puid.js";
export { Puid, MAX_IDS_PER_REQUEST } from "./puid.js";
export type { RegisterClientInit, AuthorizationCodeInit, AuthorizationRequest, AuthorizationUrlInit, ClientCredentialsInit, PuidInit, PuidOptions, PuidQuota } from "./puid.js";
export type { ClientAuthentication } from "./oauth.js";
export { PUID_ROUND_KEYS, createPuidCodec, decodePuid, encodePuid } from "./codec.js";
export type { PuidCodec } from "./codec.js";
export type { RequestOptions } from "../core/transport.js";
export type {
  SchemaIdsResponse as IdsResponse,
  SchemaOrdinalResponse as OrdinalResponse,
  SchemaQuotaResponse as QuotaResponse,
  SchemaTokenResponse as TokenResponse,
  SchemaClientRegistration as ClientRegistration,
  SchemaAuthorizationServerMetadata as AuthorizationServerMetadata,
} from "../generated/puid.js";
