import { guard, type Api } from "../core/api.js";
import type { ApiPromise } from "../core/api-promise.js";
import { onDemand } from "../core/on-demand.js";
import { checkKeys, readOptions } from "../core/options.js";
import type { RequestOptions } from "../core/transport.js";
import { optionalString, requireObject, requireSegment, requireText } from "../core/validate.js";
import { describeValue, fieldsOf } from "../core/values.js";
import type { paths, SchemaAuthRequest, SchemaAuthzRequest, SchemaNonceRequest, SchemaTokenOwnershipRequest } from "../generated/picket.js";
import { answers } from "./answers.js";
import { CLIENT_OPTIONS, OPTION_HINTS, picketApi, picketKey, type PicketOptions } from "./api.js";
import { invalidParameter, picketErrors } from "./errors.js";
import type { AuthorizationCodeExchange, PicketAuthorizationRequest, PicketAuthorizationUrlInit } from "./oauth.js";
import {
  REQUIREMENT_KEYS,
  type AccessTokenClaims,
  type AuthorizationRequirements,
  type AuthResponse,
  type ChainInfo,
  type ChainSlug,
  type NonceResponse,
  type OAuthTokenResponse,
  type SigningMessageContext,
  type TokenOwnershipResponse,
} from "./types.js";

/** Arguments of `Picket.nonce`. */
export interface NonceArgs {
  /** The chain slug (`ethereum`, `polygon`, `solana`, ...); default `ethereum`. */
  chain?: ChainSlug | undefined;
  /** The wallet that will sign. */
  walletAddress: string;
  /** The BCP-47 language of the statement (`en`, `en-US`, ...). */
  locale?: string | undefined;
}
/** Arguments of `Picket.auth`. */
export interface AuthArgs {
  /** The chain slug; default `ethereum`. */
  chain?: ChainSlug | undefined;
  /** The wallet that signed. */
  walletAddress: string;
  /** Its signature of the signing message (`0x` hex for EVM, base58 for Solana, hex for Flow). */
  signature: string;
  /** Token-gating requirements the wallet must meet (any one of them). */
  requirements?: AuthorizationRequirements | undefined;
  /** For a `siwe` project: what the message was built with (see `createSigningMessage`). */
  context?: SigningMessageContext | undefined;
}
/** Arguments of `Picket.authz`. */
export interface AuthzArgs {
  /** The access token to extend. */
  accessToken: string;
  /** The requirements the wallet must now meet. */
  requirements: AuthorizationRequirements;
  /** Read balances from the chain again instead of Picket's cache; default `false`. */
  revalidate?: boolean | undefined;
}
/**
 * Arguments of `Picket.tokenOwnership`: the chain, the wallet, and the requirement fields — flat
 * (`contractAddress`, `minTokenBalance`, ...) or wrapped in `requirements` (the Python README's
 * form). Either way they are sent flat, as the API wants.
 */
export type TokenOwnershipArgs = {
  /** The chain slug, e.g. `ethereum` or `solana`; default `ethereum` (as in Picket's Node library). */
  chain?: ChainSlug | undefined;
  /** The wallet to check. */
  walletAddress: string;
  /** The requirement fields as one object; merged with (and overridden by) any given flat. */
  requirements?: AuthorizationRequirements | undefined;
} & AuthorizationRequirements;

/**
 * Picket's OAuth login (the authorize URL with its PKCE challenge, the code exchange), imported
 * on first use: a bundler that splits code keeps it out of what loads with `Picket`, and a client
 * that only logs wallets in with signatures never loads it.
 */
const oauth = () => onDemand(picketErrors, "OAuth flows", () => import("./oauth.js"));

/** picket-node's name for `NonceArgs`. */
export type NonceRequest = NonceArgs;
/** picket-node's name for `AuthArgs`. */
export type AuthRequest = AuthArgs;
/** picket-node's name for `TokenOwnershipArgs`. */
export type TokenOwnershipRequest = TokenOwnershipArgs;

/**
 * The Picket client: wallet login, token gating and chain info in one line each, with typed
 * errors. Method names and shapes follow Picket's official Node library.
 *
 * ```ts
 * import { createSigningMessage, Picket } from "picket-puid/picket";
 * import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
 *
 * const picket = new Picket(process.env.PICKET_SECRET_KEY!);
 * const wallet = privateKeyToAccount(generatePrivateKey()); // a throwaway key stands in for the user's wallet
 * const walletAddress = wallet.address;
 * const { nonce, statement, format } = await picket.nonce({ walletAddress });
 * const context = { domain: "app.example.com", uri: "https://app.example.com", chainId: 1, issuedAt: new Date().toISOString() };
 * const signature = await wallet.signMessage({ message: createSigningMessage({ format, statement, walletAddress, nonce, ...context }) });
 * const { accessToken, user } = await picket.auth({ walletAddress, signature, context });
 * ```
 *
 * Every method takes a trailing `RequestOptions` (`timeout`, `maxRetries`, `signal`, `headers`,
 * `fetch`) over the client's own, and rejects only with `PicketError`.
 */
export class Picket {
  #api: Api<paths>;
  readonly #key: string;
  readonly #options: PicketOptions;

  /**
   * @param secretKey the project's secret key (server side) or publishable key (browser);
   *   default the `PICKET_SECRET_KEY` environment variable.
   * @param options `baseURL` (default `PICKET_BASE_URL`, else `https://picketapi.com/api/v1`),
   *   request options, `logger` / `logLevel`.
   * @throws {PicketError} `parameter_invalid` (`status: null`) for a missing key; `invalid_option`
   *   for an option it does not know; `secret_in_browser` for a key that is not publishable in a
   *   web page, unless `dangerouslyAllowBrowser: true`.
   */
  constructor(secretKey?: string, options: PicketOptions = {}) {
    this.#options = readOptions(picketErrors, options ?? {});
    checkKeys(picketErrors, this.#options, CLIENT_OPTIONS, OPTION_HINTS);
    this.#key = picketKey(secretKey, this.#options);
    this.#api = picketApi(this.#key, this.#options);
  }

  /**
   * The API base URL this client calls, without a trailing slash. It can be set, as on
   * picket-node's client: the new URL is checked like the `baseURL` option (https, or http to
   * this machine), and later calls go there.
   */
  get baseURL(): string {
    return this.#api.baseUrl;
  }

  set baseURL(baseURL: string) {
    this.#api = picketApi(this.#key, { ...this.#options, baseURL });
  }

  /**
   * Get (or create) the nonce a wallet signs to log in; valid for two minutes. The answer also
   * says the statement and the message format (`simple` or `siwe`) of the project: pass them to
   * `createSigningMessage`.
   */
  nonce(args: NonceArgs, options?: RequestOptions): ApiPromise<NonceResponse> {
    return this.#api.run(async (call) => {
      const { chain = "ethereum", walletAddress, locale } = fieldsOf(args);
      given(walletAddress, "walletAddress");
      given(chain, "chain");
      const body: SchemaNonceRequest = { chain, walletAddress };
      optionalString(locale, "locale", invalidParameter);
      if (locale !== undefined) body.locale = locale;
      return answers.nonce(await call("POST", "/auth/nonce", { body }, options));
    });
  }

  /**
   * Log a wallet in with its signature of the signing message, optionally checking token
   * requirements, and get an access token (an ES256 JWT, valid 12 hours) and the user.
   * For a `siwe` project, pass the `context` the message was built with.
   */
  auth(args: AuthArgs, options?: RequestOptions): ApiPromise<AuthResponse> {
    return this.#api.run(async (call) => {
      const { chain = "ethereum", walletAddress, signature, requirements, context } = fieldsOf(args);
      given(chain, "chain");
      given(walletAddress, "walletAddress");
      given(signature, "signature");
      const body: SchemaAuthRequest = { chain, walletAddress, signature };
      if (requirements !== undefined) body.requirements = object(requirements, "requirements");
      // A chain type Picket adds later is sent as given: the document lists today's.
      if (context !== undefined) body.context = object(context, "context") as NonNullable<SchemaAuthRequest["context"]>;
      return answers.auth(await call("POST", "/auth", { body }, options));
    });
  }

  /**
   * Check an access token against new requirements (incremental authorization) and get a new
   * token that carries the proven balances. `revalidate: true` forces fresh on-chain balances.
   */
  authz(args: AuthzArgs, options?: RequestOptions): ApiPromise<AuthResponse> {
    return this.#api.run(async (call) => {
      const { accessToken, requirements, revalidate = false } = fieldsOf(args);
      given(accessToken, "accessToken");
      if (typeof revalidate !== "boolean") throw invalidParameter(`'revalidate' must be a boolean; got ${describeValue(revalidate)}`);
      const body: SchemaAuthzRequest = { accessToken, requirements: object(requirements!, "requirements"), revalidate };
      return answers.auth(await call("POST", "/authz", { body }, options));
    });
  }

  /** Validate an access token (optionally against requirements) and get its claims: the user, `iat`, `exp`, ... */
  validate(accessToken: string, requirements?: AuthorizationRequirements, options?: RequestOptions): ApiPromise<AccessTokenClaims> {
    return this.#api.run(async (call) => {
      given(accessToken, "accessToken");
      const body = requirements === undefined ? { accessToken } : { accessToken, requirements: object(requirements, "requirements") };
      return answers.claims(await call("POST", "/auth/validate", { body }, options));
    });
  }

  /**
   * Check, with no login, whether a wallet holds what the requirements ask for.
   * Takes the requirement fields flat or as `requirements`, and sends them flat.
   */
  tokenOwnership(args: TokenOwnershipArgs, options?: RequestOptions): ApiPromise<TokenOwnershipResponse> {
    return this.#api.run(async (call) => {
      const { chain = "ethereum", walletAddress, requirements, ...flat } = fieldsOf(args);
      requireSegment(chain, "chain", invalidParameter);
      requireSegment(walletAddress, "walletAddress", invalidParameter);
      const fields: AuthorizationRequirements = { ...(requirements === undefined ? {} : object(requirements, "requirements")), ...flat };
      if (!REQUIREMENT_KEYS.some((key) => fields[key] !== undefined)) {
        throw invalidParameter(`tokenOwnership needs at least one requirement: ${REQUIREMENT_KEYS.join(", ")}`);
      }
      const body = fields as SchemaTokenOwnershipRequest; // at least one requirement, as just checked
      return answers.ownership(await call("POST", "/chains/{chain}/wallets/{walletAddress}/tokenOwnership", { path: { chain, walletAddress }, body }, options));
    });
  }

  /** The chains Picket supports (the list the API wraps in `data`, unwrapped). */
  chains(options?: RequestOptions): ApiPromise<ChainInfo[]> {
    return this.#api.run(async (call) => {
      return answers.chains(await call("GET", "/chains", {}, options));
    });
  }

  /** One chain's details: `chainSlug`, `chainId` (EVM chains), `chainType`, `chainName`, `publicRPC`, `authorizationSupported`. */
  chainInfo(chain: ChainSlug, options?: RequestOptions): ApiPromise<ChainInfo> {
    return this.#api.run(async (call) => {
      requireSegment(chain, "chain", invalidParameter);
      return answers.chain(await call("GET", "/chains/{chain}", { path: { chain } }, options));
    });
  }

  /**
   * Start Picket's OAuth 2.0 login with PKCE (S256): the `/oauth2/authorize` URL to send the
   * browser to (by redirect or popup), and the `codeVerifier` and `state` to keep for the way back.
   * Requirements are sent as query parameters, the list ones repeated (`tokenIds=a&tokenIds=b`);
   * empty values and a zero `minTokenBalance` are left out, as Picket's own library does.
   *
   * @throws {PicketError} `parameter_invalid` (status null) for a missing `clientId` or
   *   `redirectUri`, or a requirement key Picket does not know.
   */
  static authorizationUrl(init: PicketAuthorizationUrlInit): Promise<PicketAuthorizationRequest> {
    return guard(
      picketErrors,
      async () => (await oauth()).authorizationUrl(init),
      () => true,
    ); // it only reads its arguments (and makes a PKCE pair)
  }

  /**
   * Finish Picket's OAuth 2.0 login: exchange the code from the redirect (with its PKCE verifier)
   * for the user's access token (`POST /oauth2/token`). The answer is Picket's access token for
   * the user, its lifetime in seconds, and the user.
   */
  exchangeAuthorizationCode(args: AuthorizationCodeExchange, options?: RequestOptions): ApiPromise<OAuthTokenResponse> {
    return this.#api.run(async (call) => (await oauth()).exchangeAuthorizationCode(call, args, options));
  }
}

/** A required argument: a string with something besides white space. */
function given(value: unknown, name: string): asserts value is string {
  requireText(value, name, invalidParameter);
}

const object = <T>(value: T, name: string): T => requireObject(value, name, invalidParameter);
