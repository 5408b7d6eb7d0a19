/**
 * The OAuth data layer (§4): registered clients, authorization codes, access and refresh tokens,
 * and the three grants of the token endpoint. Everything is in memory; nothing here knows HTTP.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { base64urlnopad } from "@scure/base";
import { randomBase62 } from "./random.js";

/** The scopes the server knows (§4.1); any other requested scope is dropped. */
export const SCOPES: readonly string[] = Object.freeze(["puid:generate", "puid:ordinal"]);
/** What every client may use, as registration and discovery announce it (§4.1, §4.2). */
export const GRANT_TYPES: readonly string[] = Object.freeze(["authorization_code", "refresh_token", "client_credentials"]);

/** The scope every `/v1` call needs from a bearer token (§2: `puid:ordinal` is never enough). */
const REQUIRED_SCOPE = "puid:generate";
const TOKEN_TTL_MS = 3_600_000; // §4.4 TOKEN_TTL_MS
const REFRESH_TTL_MS = 90 * 86_400_000; // §4.4: refresh tokens live 90 days
const CODE_TTL_MS = 300_000; // §4.3 CODE_TTL_MS

/** A registered OAuth client. */
export interface Client {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientName: string;
  readonly redirectUris: readonly string[];
}

/** A minted token, without its value. `account` is a team id, or `client:<clientId>` for client credentials. */
export interface Token {
  readonly kind: "access" | "refresh";
  readonly clientId: string;
  readonly account: string;
  readonly scope: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

interface Code {
  readonly clientId: string;
  readonly account: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly codeChallenge: string | null;
  readonly codeChallengeMethod: string | null;
  readonly expiresAt: number;
}

/** What `/oauth/authorize` stores with a code once the user has approved. */
export type CodeRequest = Omit<Code, "expiresAt">;

/** The token endpoint's answer: a JSON body and its status, and the account a token was minted for. */
export interface Exchange {
  status: 200 | 400 | 401;
  body: Record<string, unknown>;
  account: string | null;
}

/** Token-request fields, as strings; a field that is missing or not a string counts as absent (our choice). */
export type Fields = Record<string, unknown>;
const text = (fields: Fields, name: string): string | undefined => (typeof fields[name] === "string" ? fields[name] : undefined);

const refuse = (status: 400 | 401, error: string, detail?: string): Exchange => ({
  status,
  body: detail === undefined ? { error } : { error, detail },
  account: null,
});

/** The requested scopes that the server knows, in the order asked (§4.4 "unknown scopes dropped"). */
export const knownScopes = (requested: string): string =>
  requested
    .split(/\s+/)
    .filter((scope) => SCOPES.includes(scope))
    .join(" ");

/** A valid, unexpired token; `at` past `expiresAt` is too late (equal is still in time, our choice). */
const live = <T extends { expiresAt: number }>(entry: T | undefined, at: number): T | undefined => (entry && at <= entry.expiresAt ? entry : undefined);

/** Where the OAuth state lives: clients by id, codes and tokens by their values. */
interface Store {
  readonly clients: Map<string, Client>;
  readonly codes: Map<string, Code>;
  readonly tokens: Map<string, Token>;
}

/** DATA `mintTokens`: an access token (3600 s), plus a refresh token for the user grants. */
function mint(store: Store, client: string, account: string, scope: string, at: number, withRefresh: boolean): Exchange {
  const accessToken = randomBase62("puid_at_", 32);
  store.tokens.set(accessToken, Object.freeze({ kind: "access", clientId: client, account, scope, issuedAt: at, expiresAt: at + TOKEN_TTL_MS }));
  const body: Record<string, unknown> = { access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_TTL_MS / 1000, scope };
  if (withRefresh) {
    const refreshToken = randomBase62("puid_rt_", 32);
    store.tokens.set(refreshToken, Object.freeze({ kind: "refresh", clientId: client, account, scope, issuedAt: at, expiresAt: at + REFRESH_TTL_MS }));
    body.refresh_token = refreshToken;
  }
  return { status: 200, body, account };
}

/** §4.4 `client_credentials`: the secret is checked; the token acts for the pseudo-account `client:<id>`. */
function clientCredentials(store: Store, fields: Fields, at: number): Exchange {
  const client = store.clients.get(text(fields, "client_id") ?? "");
  const secret = text(fields, "client_secret");
  if (!client || !secret || secret !== client.clientSecret) return refuse(401, "invalid_client");
  return mint(store, client.clientId, `client:${client.clientId}`, knownScopes(text(fields, "scope") || SCOPES.join(" ")), at, false);
}

/**
 * §4.4 `authorization_code`: no secret check; the code is deleted on the first attempt, even
 * when a later check fails; client, redirect URI (exactly) and PKCE must then match.
 */
function authorizationCode(store: Store, fields: Fields, at: number): Exchange {
  const key = text(fields, "code") ?? "";
  const code = live(store.codes.get(key), at);
  store.codes.delete(key);
  if (!code || code.clientId !== text(fields, "client_id") || code.redirectUri !== text(fields, "redirect_uri")) return refuse(400, "invalid_grant");
  if (code.codeChallenge !== null && !pkceMatches(code.codeChallenge, code.codeChallengeMethod, text(fields, "code_verifier"))) {
    return refuse(400, "invalid_grant", "PKCE failed");
  }
  return mint(store, code.clientId, code.account, code.scope, at, true);
}

/** §4.4 `refresh_token`: no client check; a new pair, and the old refresh token stays valid until it expires. */
function refresh(store: Store, fields: Fields, at: number): Exchange {
  const token = live(store.tokens.get(text(fields, "refresh_token") ?? ""), at);
  if (!token || token.kind !== "refresh") return refuse(400, "invalid_grant");
  return mint(store, token.clientId, token.account, token.scope, at, true);
}

export type Grants = ReturnType<typeof createGrants>;

/** The OAuth state of one emulator, seeded with pre-registered `clients`. */
export function createGrants(seed: readonly Client[]) {
  const store: Store = { clients: new Map(seed.map((client) => [client.clientId, Object.freeze({ ...client })])), codes: new Map(), tokens: new Map() };
  return {
    /** Every client, registered or seeded, in order. */
    clients: (): Client[] => [...store.clients.values()],
    /** Every token minted, expired ones included, in order. */
    tokens: (): Token[] => [...store.tokens.values()],
    client: (clientId: string | undefined): Client | undefined => (clientId === undefined ? undefined : store.clients.get(clientId)),

    /** DATA `register-client` (§4.2); the caller has checked `redirectUris`. */
    register(clientName: string, redirectUris: readonly string[]): Client {
      const clientId = randomBase62("client_", 16);
      const client = Object.freeze({ clientId, clientSecret: randomBase62("secret_", 32), clientName, redirectUris: Object.freeze([...redirectUris]) });
      store.clients.set(clientId, client);
      return client;
    },

    /** DATA `issue-code` after an approval (§4.3): a `code_<24>` that lives 300 s. */
    issueCode(request: CodeRequest, at: number): string {
      const code = randomBase62("code_", 24);
      store.codes.set(code, Object.freeze({ ...request, expiresAt: at + CODE_TTL_MS }));
      return code;
    },

    /** The token endpoint's grants (§4.4); anything else is `unsupported_grant_type`. */
    exchange(fields: Fields, at: number): Exchange {
      switch (fields.grant_type) {
        case "client_credentials":
          return clientCredentials(store, fields, at);
        case "authorization_code":
          return authorizationCode(store, fields, at);
        case "refresh_token":
          return refresh(store, fields, at);
        default:
          return refuse(400, "unsupported_grant_type");
      }
    },

    /**
     * The account a bearer access token acts for, or `null` when it is unknown, expired, or lacks
     * `puid:generate` (DATA `verify-token`; every one of those becomes the router's 401, §2).
     */
    accountOf(accessToken: string, at: number): string | null {
      const token = live(store.tokens.get(accessToken), at);
      return token?.kind === "access" && token.scope.split(" ").includes(REQUIRED_SCOPE) ? token.account : null;
    },
  };
}

/** PKCE (RFC 7636 §4.6): `S256` compares base64url(SHA-256(verifier)); any other method, or none, is `plain`. */
function pkceMatches(challenge: string, method: string | null, verifier: string | undefined): boolean {
  if (verifier === undefined) return false;
  const expected = method === "S256" ? base64urlnopad.encode(sha256(new TextEncoder().encode(verifier))) : verifier;
  return expected === challenge;
}
