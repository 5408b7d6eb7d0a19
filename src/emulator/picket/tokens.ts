/**
 * Access tokens (reference §5.4, §7.2): ES256 JWTs signed with a key pair made for each emulator,
 * carrying the user (`chain`, `walletAddress`, `displayAddress`, `tokenBalances`, always present)
 * and `iat`, `exp`, `iss` (`picketapi.com`), `sub` (`<chain>:<wallet>`), `aud` (the project ID),
 * `tid` (a UUID) and `ver` (1). Time comes from the emulator's clock, so a test ages a token by
 * moving the clock.
 */
import { errors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";
import type { SchemaAccessTokenPayload, SchemaAuthenticatedUser } from "../../generated/picket.js";
import type { Now } from "../serve.js";
import { PicketFailure } from "./failure.js";
import type { TokenBalances } from "./requirements.js";

/** The `iss` of every token: the value of the docs' example (§5.4). */
export const ISSUER = "picketapi.com";

/** The user a token is about; `tokenBalances` is always there, possibly `{}` (§12). */
export type TokenUser = Required<Pick<SchemaAuthenticatedUser, "chain" | "walletAddress" | "displayAddress">> & { tokenBalances: TokenBalances };

/** The claims of a token the emulator issued. */
export type Claims = SchemaAccessTokenPayload & TokenUser & { iss: string; sub: string; aud: string; tid: string; ver: number };

/** One token the emulator issued, as the `tokens` view reports it. */
export interface IssuedToken {
  readonly tid: string;
  /** Which operation issued it. */
  readonly via: "auth" | "authz" | "oauth";
  readonly chain: string;
  readonly walletAddress: string;
  /** `iat` and `exp`, in seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
  readonly tokenBalances: TokenBalances;
}

/** 401 without a `code`: Picket documents none for a bad access token (§6.3). */
const refused = (msg: string) => new PicketFailure(401, msg);

export class TokenAuthority {
  readonly #now: Now;
  readonly #projectId: string;
  readonly #ttlSeconds: number;
  readonly #issued: IssuedToken[] = [];
  #keys: Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> | undefined;

  constructor(now: Now, projectId: string, ttlSeconds: number) {
    this.#now = now;
    this.#projectId = projectId;
    this.#ttlSeconds = ttlSeconds;
  }

  /** The key pair, made on first use (Web Crypto key generation is asynchronous). */
  #keyPair() {
    this.#keys ??= generateKeyPair("ES256", { extractable: true });
    return this.#keys;
  }

  /** Sign a token for `user`, valid `tokenTtlSeconds` from now. */
  async issue(user: TokenUser, via: IssuedToken["via"]): Promise<{ accessToken: string; claims: Claims }> {
    const iat = Math.floor(this.#now() / 1000);
    const exp = iat + this.#ttlSeconds;
    const tid = crypto.randomUUID();
    const sub = `${user.chain}:${user.walletAddress}`;
    const claims: Claims = { ...user, iat, exp, iss: ISSUER, sub, aud: this.#projectId, tid, ver: 1 };
    const accessToken = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "JWT" }).sign((await this.#keyPair()).privateKey);
    this.#issued.push({ tid, via, chain: user.chain, walletAddress: user.walletAddress, iat, exp, tokenBalances: structuredClone(user.tokenBalances) });
    return { accessToken, claims };
  }

  /**
   * The claims of a token this emulator issued for this project and that has not expired by the
   * emulator's clock.
   * @throws {PicketFailure} 401 (no code) saying whether the token is expired or invalid.
   */
  async verify(accessToken: string): Promise<Claims> {
    try {
      const { payload } = await jwtVerify(accessToken, (await this.#keyPair()).publicKey, {
        algorithms: ["ES256"],
        issuer: ISSUER,
        audience: this.#projectId,
        currentDate: new Date(this.#now()),
        requiredClaims: ["iat", "exp", "sub", "tid"],
      });
      return payload as Claims;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw refused("access token expired");
      throw refused("invalid access token: not issued by this emulator for this project");
    }
  }

  /** The public key that verifies every token, as a JWK (for checking tokens outside the emulator). */
  async publicJwk(): Promise<JWK> {
    return exportJWK((await this.#keyPair()).publicKey);
  }

  /** Every token issued, oldest first (copies). */
  list(): IssuedToken[] {
    return this.#issued.map((token) => structuredClone(token));
  }
}
