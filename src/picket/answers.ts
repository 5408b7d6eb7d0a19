/**
 * What each Picket answer must hold before a facade method hands it back: the fields its type
 * promises, with the types it promises. Anything else (a proxy's `{}`, `"ok"`, a changed server)
 * is `invalid_response`, not a value that breaks later. Fields it does not know are kept.
 */
import { expectShape } from "../core/api.js";
import { hasFields, type FieldType } from "../core/values.js";
import type { AccessTokenClaims, AuthenticatedUser, AuthResponse, ChainInfo, NonceResponse, OAuthTokenResponse, TokenOwnershipResponse } from "./types.js";
import { picketErrors } from "./errors.js";

const USER: Record<string, FieldType> = { chain: "string", walletAddress: "string", displayAddress: "string" };
const CHAIN: Record<string, FieldType> = {
  chainSlug: "string",
  chainType: "string",
  chainName: "string",
  publicRPC: "string",
  authorizationSupported: "boolean",
};

/** `value` with the fields it must have, or the API's `invalid_response` naming them. */
function expect<T>(value: unknown, fields: Record<string, FieldType>): T {
  expectShape(hasFields(value, fields), picketErrors, Object.keys(fields).join(", "), undefined);
  return value as T;
}

/**
 * A user as the API promises it. `tokenBalances` is always sent (`{}` without requirements); an
 * answer without it gets `{}`, so the field is always there to read.
 */
function user<T extends AuthenticatedUser>(value: unknown): T {
  const checked = expect<Record<string, unknown>>(value, USER);
  if (checked.tokenBalances === undefined) return { ...checked, tokenBalances: {} } as unknown as T;
  return expect(checked, { tokenBalances: "object" });
}

export const answers = {
  nonce: (value: unknown) => expect<NonceResponse>(value, { nonce: "string", statement: "string" }),
  auth(value: unknown): AuthResponse {
    const answer = expect<AuthResponse>(value, { accessToken: "string", user: "object" });
    return { ...answer, user: user(answer.user) };
  },
  claims: (value: unknown) => user<AccessTokenClaims>(expect(value, { iat: "number", exp: "number" })),
  ownership: (value: unknown) => expect<TokenOwnershipResponse>(value, { allowed: "boolean" }),
  chain: (value: unknown) => expect<ChainInfo>(value, CHAIN),
  chains: (value: unknown): ChainInfo[] => expect<{ data: unknown[] }>(value, { data: "array" }).data.map(answers.chain),
  oauthToken(value: unknown): OAuthTokenResponse {
    const answer = expect<OAuthTokenResponse>(value, { accessToken: "string", tokenType: "string", expiresIn: "number" });
    return answer.user === undefined ? answer : { ...answer, user: user(answer.user) };
  },
};
