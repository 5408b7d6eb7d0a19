// Type test (compiled by `npm run typecheck`, never run): every type a facade method takes or
// returns has a name a user can import from the package's entries, and that name is exactly the
// type the method uses — so code can annotate what it passes and keeps. picket-node's names are
// the same types under its names.
import { expectTypeOf } from "vitest";
import type * as Root from "picket-puid";
import {
  createPicketClient,
  createSigningMessage,
  Picket,
  type AccessTokenClaims,
  type AccessTokenPayload,
  type ApiPromise as PicketApiPromise,
  type AuthArgs,
  type AuthenticatedUser,
  type AuthorizationCodeExchange,
  type AuthorizationRequirements,
  type AuthRequest,
  type AuthRequirements,
  type AuthResponse,
  type AuthState,
  type AuthzArgs,
  type ChainInfo,
  type ChainSlug,
  type ErrorResponse,
  type NonceArgs,
  type NonceRequest,
  type NonceResponse,
  type OAuthTokenResponse,
  type PicketAuthorizationRequest,
  type PicketAuthorizationUrlInit,
  type PicketClient,
  type PicketClientOptions,
  type PicketError,
  type PicketOptions,
  type SigningMessageInput,
  type TokenOwnershipArgs,
  type TokenOwnershipRequest,
  type TokenOwnershipResponse,
  type TokenRequirementsBalances,
} from "picket-puid/picket";
import {
  createPuidClient,
  Puid,
  type ApiPromise,
  type AuthorizationCodeInit,
  type AuthorizationRequest,
  type AuthorizationServerMetadata,
  type AuthorizationUrlInit,
  type ClientCredentialsInit,
  type ClientRegistration,
  type Coordination,
  type Logger,
  type LogLevel,
  type PuidClient,
  type PuidClientOptions,
  type PuidCredentials,
  type PuidError,
  type PuidInit,
  type PuidQuota,
  type RegisterClientInit,
  type RequestOptions,
  type TokenSource,
} from "picket-puid/puid";

// Puid: the constructor, each method's arguments and answer.
expectTypeOf<ConstructorParameters<typeof Puid>>().toEqualTypeOf<[init?: PuidInit]>();
expectTypeOf<Puid["ids"]>().toEqualTypeOf<(count?: number, options?: RequestOptions) => ApiPromise<string[]>>();
expectTypeOf<Puid["id"]>().toEqualTypeOf<(options?: RequestOptions) => ApiPromise<string>>();
expectTypeOf<Puid["ordinal"]>().toEqualTypeOf<(puid: string, options?: RequestOptions) => ApiPromise<bigint>>();
expectTypeOf<Puid["quota"]>().toEqualTypeOf<(options?: RequestOptions) => ApiPromise<PuidQuota>>();
expectTypeOf<Puid["generate"]>().toEqualTypeOf<(total: number, options?: RequestOptions) => AsyncGenerator<string, void, undefined>>();
expectTypeOf(Puid.fromClientCredentials).toEqualTypeOf<(init: ClientCredentialsInit) => Promise<Puid>>();
expectTypeOf(Puid.fromAuthorizationCode).toEqualTypeOf<(init: AuthorizationCodeInit) => Promise<Puid>>();
expectTypeOf(Puid.authorizationUrl).toEqualTypeOf<(init: AuthorizationUrlInit) => Promise<AuthorizationRequest>>();
expectTypeOf(Puid.registerClient).toEqualTypeOf<(init: RegisterClientInit, options?: RequestOptions) => Promise<ClientRegistration>>();
expectTypeOf(Puid.authorizationServerMetadata).toEqualTypeOf<(init?: PuidClientOptions, options?: RequestOptions) => Promise<AuthorizationServerMetadata>>();
expectTypeOf(createPuidClient).returns.toEqualTypeOf<PuidClient>();
expectTypeOf<PuidQuota>().toEqualTypeOf<{ plan: string; used: number; limit: number | null; remaining: number | null }>();
// What the options hold has a name too.
expectTypeOf<PuidInit>().toExtend<PuidCredentials>();
expectTypeOf<Exclude<PuidInit["logger"], undefined>>().toEqualTypeOf<Logger>();
expectTypeOf<Exclude<PuidInit["logLevel"], undefined>>().toEqualTypeOf<LogLevel>();
expectTypeOf<Exclude<PuidInit["coordination"], undefined>>().toEqualTypeOf<Coordination>();
expectTypeOf<Exclude<PuidInit["tokenSource"], undefined>>().toEqualTypeOf<TokenSource>();

// Picket: the constructor, each method's arguments and answer.
expectTypeOf<ConstructorParameters<typeof Picket>>().toEqualTypeOf<[secretKey?: string, options?: PicketOptions]>();
expectTypeOf<Picket["nonce"]>().toEqualTypeOf<(args: NonceArgs, options?: RequestOptions) => PicketApiPromise<NonceResponse>>();
expectTypeOf<Picket["auth"]>().toEqualTypeOf<(args: AuthArgs, options?: RequestOptions) => ApiPromise<AuthResponse>>();
expectTypeOf<Picket["authz"]>().toEqualTypeOf<(args: AuthzArgs, options?: RequestOptions) => ApiPromise<AuthResponse>>();
expectTypeOf<Picket["validate"]>().toEqualTypeOf<
  (accessToken: string, requirements?: AuthorizationRequirements, options?: RequestOptions) => ApiPromise<AccessTokenClaims>
>();
expectTypeOf<Picket["tokenOwnership"]>().toEqualTypeOf<(args: TokenOwnershipArgs, options?: RequestOptions) => ApiPromise<TokenOwnershipResponse>>();
expectTypeOf<Picket["chains"]>().toEqualTypeOf<(options?: RequestOptions) => ApiPromise<ChainInfo[]>>();
expectTypeOf<Picket["chainInfo"]>().toEqualTypeOf<(chain: ChainSlug, options?: RequestOptions) => ApiPromise<ChainInfo>>();
expectTypeOf<Picket["exchangeAuthorizationCode"]>().toEqualTypeOf<
  (args: AuthorizationCodeExchange, options?: RequestOptions) => ApiPromise<OAuthTokenResponse>
>();
expectTypeOf(Picket.authorizationUrl).toEqualTypeOf<(init: PicketAuthorizationUrlInit) => Promise<PicketAuthorizationRequest>>();
expectTypeOf(createSigningMessage).toEqualTypeOf<(input: SigningMessageInput) => string>();
expectTypeOf(createPicketClient).parameters.toEqualTypeOf<[options?: PicketClientOptions]>();
expectTypeOf(createPicketClient).returns.toEqualTypeOf<PicketClient>();
// What the answers hold has a name too.
expectTypeOf<AuthResponse["user"]>().toEqualTypeOf<AuthenticatedUser>();
expectTypeOf<Exclude<AuthenticatedUser["tokenBalances"], undefined>>().toEqualTypeOf<TokenRequirementsBalances>();
expectTypeOf<Exclude<AuthArgs["requirements"], undefined>>().toEqualTypeOf<AuthorizationRequirements>();

// picket-node's names are the same types.
expectTypeOf<AuthState>().toEqualTypeOf<AuthResponse>();
expectTypeOf<AuthRequirements>().toEqualTypeOf<AuthorizationRequirements>();
expectTypeOf<AccessTokenPayload>().toEqualTypeOf<AccessTokenClaims>();
expectTypeOf<NonceRequest>().toEqualTypeOf<NonceArgs>();
expectTypeOf<AuthRequest>().toEqualTypeOf<AuthArgs>();
expectTypeOf<TokenOwnershipRequest>().toEqualTypeOf<TokenOwnershipArgs>();
// A PicketError has what picket-node's rejections had: msg and code.
expectTypeOf<Pick<PicketError, "msg">>().toExtend<Pick<ErrorResponse, "msg">>();
expectTypeOf<PicketError["code"]>().toExtend<ErrorResponse["code"] | null>();

// The package's root entry has the names of both APIs, one and the same types.
expectTypeOf<Root.PuidQuota>().toEqualTypeOf<PuidQuota>();
expectTypeOf<Root.AuthResponse>().toEqualTypeOf<AuthResponse>();
expectTypeOf<Root.AccessTokenClaims>().toEqualTypeOf<AccessTokenClaims>();
expectTypeOf<Root.ChainInfo>().toEqualTypeOf<ChainInfo>();
expectTypeOf<Root.RequestOptions>().toEqualTypeOf<RequestOptions>();
expectTypeOf<Root.ApiPromise<number>>().toEqualTypeOf<ApiPromise<number>>();
expectTypeOf<Root.PuidError>().toEqualTypeOf<PuidError>();
expectTypeOf<Root.PicketError>().toEqualTypeOf<PicketError>();
expectTypeOf<InstanceType<typeof Root.Puid>>().toEqualTypeOf<Puid>();
expectTypeOf<InstanceType<typeof Root.Picket>>().toEqualTypeOf<Picket>();
// `.withResponse()` is on the promise every method returns.
expectTypeOf<Awaited<ReturnType<ApiPromise<PuidQuota>["withResponse"]>>>().toEqualTypeOf<{ data: PuidQuota; response: Response }>();
