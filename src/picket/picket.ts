import { trimEndpoint, type ApiClient } from "../core/client.js";
import { callWith, type CallInit } from "../core/facade.js";
import { describeValue, isRecord, type CallResult } from "../core/call.js";
import type { RequestOptions } from "../core/transport.js";
import type {
  paths,
  SchemaAccessTokenPayload,
  SchemaAuthorizationRequirements,
  SchemaAuthRequest,
  SchemaAuthResponse,
  SchemaAuthzRequest,
  SchemaChainInfo,
  SchemaNonceRequest,
  SchemaNonceResponse,
  SchemaTokenOwnershipRequest,
  SchemaTokenOwnershipResponse,
} from "../generated/picket.js";
import { PICKET_BASE_URL, picketApiClient, type PicketOptions } from "./client.js";
import { invalidParameter, picketErrors } from "./errors.js";

/** Arguments of `Picket.nonce`; `chain` defaults to `"ethereum"`. */
export type NonceArgs = Omit<SchemaNonceRequest, "chain"> & { chain?: SchemaNonceRequest["chain"] | undefined };
/** Arguments of `Picket.auth`; `chain` defaults to `"ethereum"`. */
export type AuthArgs = SchemaAuthRequest;
/** Arguments of `Picket.authz`; `revalidate` defaults to `false`. */
export type AuthzArgs = SchemaAuthzRequest;
/**
 * Arguments of `Picket.tokenOwnership`: the chain, the wallet, and the requirement fields — flat
 * (`contractAddress`, `minTokenBalance`, ...) or wrapped in `requirements` (the Python README's
 * form). Either way they are sent flat, as the API wants.
 */
export type TokenOwnershipArgs = { chain: string; walletAddress: string; requirements?: SchemaAuthorizationRequirements | undefined } & SchemaTokenOwnershipRequest;

const REQUIREMENT_KEYS = ["contractAddress", "tokenIds", "collection", "creatorAddress", "allowedWallets"] as const;

/**
 * The Picket client: wallet login, token gating and chain info in one line each, with typed
 * errors. Method names and shapes follow Picket's official Node library.
 *
 * ```ts
 * const picket = new Picket(process.env.PICKET_SECRET_KEY!);
 * const { nonce, statement, format } = await picket.nonce({ walletAddress });
 * const { accessToken, user } = await picket.auth({ walletAddress, signature });
 * ```
 *
 * Every method takes a trailing `RequestOptions` (`timeout`, `maxRetries`, `signal`, `headers`,
 * `fetch`) over the client's own, and rejects only with `PicketError`.
 */
export class Picket {
  /** The API base URL this client calls, without a trailing slash. */
  readonly baseURL: string;
  readonly #api: ApiClient<paths>;

  /**
   * @param secretKey the project's secret key (server side) or publishable key (browser).
   * @param options `baseURL` (default `https://picketapi.com/api/v1`) and request options.
   * @throws {PicketError} code `parameter_invalid`, `status: null`, for a missing key.
   */
  constructor(secretKey: string, options: PicketOptions = {}) {
    this.#api = picketApiClient(secretKey, options);
    this.baseURL = trimEndpoint(options.baseURL ?? PICKET_BASE_URL);
  }

  /**
   * Get (or create) the nonce a wallet signs to log in; valid for two minutes. The answer also
   * says the statement and the message format (`simple` or `siwe`) of the project: pass them to
   * `createSigningMessage`.
   */
  async nonce(args: NonceArgs, options?: RequestOptions): Promise<SchemaNonceResponse> {
    const { chain = "ethereum", walletAddress, locale } = args ?? ({} as NonceArgs);
    required({ walletAddress }, "walletAddress");
    required({ chain }, "chain");
    const body: SchemaNonceRequest = { chain, walletAddress };
    if (locale !== undefined) body.locale = optionalString(locale, "locale");
    return this.#call(options, (c, init) => c.POST("/auth/nonce", { body, ...init }));
  }

  /**
   * Log a wallet in with its signature of the signing message, optionally checking token
   * requirements, and get an access token (an ES256 JWT, valid 12 hours) and the user.
   * For a `siwe` project, pass the `context` the message was built with.
   */
  async auth(args: AuthArgs, options?: RequestOptions): Promise<SchemaAuthResponse> {
    const { chain = "ethereum", walletAddress, signature, requirements, context } = args ?? ({} as AuthArgs);
    required({ walletAddress, signature }, "walletAddress", "signature");
    const body: SchemaAuthRequest = { chain, walletAddress, signature };
    if (requirements !== undefined) body.requirements = object(requirements, "requirements");
    if (context !== undefined) body.context = object(context, "context");
    return this.#call(options, (c, init) => c.POST("/auth", { body, ...init }));
  }

  /**
   * Check an access token against new requirements (incremental authorization) and get a new
   * token that carries the proven balances. `revalidate: true` forces fresh on-chain balances.
   */
  async authz(args: AuthzArgs, options?: RequestOptions): Promise<SchemaAuthResponse> {
    const { accessToken, requirements, revalidate = false } = args ?? ({} as AuthzArgs);
    required({ accessToken }, "accessToken");
    if (typeof revalidate !== "boolean") throw invalidParameter(`'revalidate' must be a boolean; got ${describeValue(revalidate)}`);
    const body: SchemaAuthzRequest = { accessToken, requirements: object(requirements, "requirements"), revalidate };
    return this.#call(options, (c, init) => c.POST("/authz", { body, ...init }));
  }

  /** Validate an access token (optionally against requirements) and get its claims: the user, `iat`, `exp`, ... */
  async validate(accessToken: string, requirements?: SchemaAuthorizationRequirements, options?: RequestOptions): Promise<SchemaAccessTokenPayload> {
    required({ accessToken }, "accessToken");
    const body = requirements === undefined ? { accessToken } : { accessToken, requirements: object(requirements, "requirements") };
    return this.#call(options, (c, init) => c.POST("/auth/validate", { body, ...init }));
  }

  /**
   * Check, with no login, whether a wallet holds what the requirements ask for.
   * Takes the requirement fields flat or as `requirements`, and sends them flat.
   */
  async tokenOwnership(args: TokenOwnershipArgs, options?: RequestOptions): Promise<SchemaTokenOwnershipResponse> {
    const { chain, walletAddress, requirements, ...flat } = args ?? ({} as TokenOwnershipArgs);
    required({ chain, walletAddress }, "chain", "walletAddress");
    const body: SchemaTokenOwnershipRequest = { ...(requirements === undefined ? {} : object(requirements, "requirements")), ...flat };
    if (!REQUIREMENT_KEYS.some((key) => body[key] !== undefined)) {
      throw invalidParameter(`tokenOwnership needs at least one requirement: ${REQUIREMENT_KEYS.join(", ")}`);
    }
    return this.#call(options, (c, init) =>
      c.POST("/chains/{chain}/wallets/{walletAddress}/tokenOwnership", { params: { path: { chain, walletAddress } }, body, ...init }),
    );
  }

  /** The chains Picket supports (the list the API wraps in `data`, unwrapped). */
  async chains(options?: RequestOptions): Promise<SchemaChainInfo[]> {
    const list = await this.#call(options, (c, init) => c.GET("/chains", { ...init }));
    return list.data;
  }

  /** One chain's details: `chainSlug`, `chainId` (EVM chains), `chainType`, `chainName`, `publicRPC`, `authorizationSupported`. */
  async chainInfo(chain: string, options?: RequestOptions): Promise<SchemaChainInfo> {
    required({ chain }, "chain");
    return this.#call(options, (c, init) => c.GET("/chains/{chain}", { params: { path: { chain } }, ...init }));
  }

  #call<T>(options: RequestOptions | undefined, send: (client: ApiClient<paths>["client"], init: CallInit) => Promise<CallResult<T>>): Promise<T> {
    return callWith(this.#api, picketErrors, options, send);
  }
}

/** Every named field must be a non-empty string, or a `parameter_invalid` error is thrown. */
function required(values: Record<string, unknown>, ...names: string[]): void {
  for (const name of names) {
    const value = values[name];
    if (typeof value !== "string" || value.trim() === "") {
      throw invalidParameter(`'${name}' is required and must be a non-empty string; got ${describeValue(value)}`);
    }
  }
}

function optionalString(value: unknown, name: string): string {
  if (typeof value !== "string") throw invalidParameter(`'${name}' must be a string; got ${describeValue(value)}`);
  return value;
}

function object<T>(value: T, name: string): T {
  if (!isRecord(value)) throw invalidParameter(`'${name}' must be an object; got ${describeValue(value)}`);
  return value;
}
