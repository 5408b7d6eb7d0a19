/**
 * The Auth operations (reference §4.1–§4.4): `POST /auth/nonce`, `POST /auth`, `POST /authz`
 * and `POST /auth/validate`. Each takes the checked state and the request, and answers JSON or
 * throws a `PicketFailure`.
 */
import type { SchemaAccessTokenPayload, SchemaAuthResponse, SchemaNonceResponse } from "../../generated/picket.js";
import { chainFromBody, findChain, sameAddressKey, walletAddressOf, type ChainInfo } from "./chains.js";
import { invalidParameter } from "./failure.js";
import { json, jsonBody, requiredString } from "./http.js";
import { login } from "./login.js";
import { evaluate, lookupIn, mergeBalances, parseRequirements, requireGating, unmet, type BalanceLookup, type Requirements } from "./requirements.js";
import type { EmulatorState } from "./state.js";
import type { Claims } from "./tokens.js";

/**
 * `POST /auth/nonce`: the wallet's live nonce (made if it has none), the statement and the
 * format. `chain` is required (every client sends it; the default is theirs, §12). `locale` is
 * accepted and does not change the statement: the emulator's project has one.
 */
export async function createNonce(state: EmulatorState, request: Request): Promise<Response> {
  const body = await jsonBody(request);
  const chain = chainFromBody(body.chain, true);
  const walletAddress = walletAddressOf(body.walletAddress, chain);
  if (body.locale !== undefined && typeof body.locale !== "string") throw invalidParameter("locale must be a BCP-47 language tag");
  const record = state.nonces.issue(sameAddressKey(chain.chainType, walletAddress), chain.chainSlug, walletAddress);
  const answer: SchemaNonceResponse = { nonce: record.nonce, statement: state.statement, format: state.format };
  return json(answer);
}

/** `POST /auth`: log a wallet in with its signature (see `login`) and issue its first token. */
export async function authenticate(state: EmulatorState, request: Request): Promise<Response> {
  const body = await jsonBody(request);
  const chain = chainFromBody(body.chain);
  const walletAddress = walletAddressOf(body.walletAddress, chain);
  const requirements = parseRequirements(body.requirements);
  const user = login(state, { chain, walletAddress, signature: body.signature, context: body.context, requirements });
  const { accessToken } = await state.tokens.issue(user, "auth");
  const answer: SchemaAuthResponse = { accessToken, user };
  return json(answer);
}

/**
 * `POST /authz`: judge a logged-in wallet against new requirements, reading the ledger, and issue
 * a new token whose `tokenBalances` are the old ones with the newly proven ones laid over them.
 * `revalidate` is accepted; the emulator reads its ledger either way (it has no balance cache).
 * Empty requirements prove nothing new and still give a fresh token.
 */
export async function authorize(state: EmulatorState, request: Request): Promise<Response> {
  const body = await jsonBody(request);
  const accessToken = requiredString(body, "accessToken");
  if (body.revalidate !== undefined && typeof body.revalidate !== "boolean") throw invalidParameter("revalidate must be a boolean");
  const requirements = parseRequirements(body.requirements);
  const claims = await state.tokens.verify(accessToken);
  const chain = chainOfToken(claims);
  const proven = requirements ? judge(requirements, chain, claims.walletAddress, state.ledger.lookup(chain, claims.walletAddress)) : {};
  const user = {
    chain: claims.chain,
    walletAddress: claims.walletAddress,
    displayAddress: claims.displayAddress,
    tokenBalances: mergeBalances(claims.tokenBalances, proven),
  };
  const issued = await state.tokens.issue(user, "authz");
  const answer: SchemaAuthResponse = { accessToken: issued.accessToken, user };
  return json(answer);
}

/**
 * `POST /auth/validate`: the token's claims, if this emulator issued it for this project and it
 * has not expired. `requirements`, when given, are judged against the balances the token proves
 * (its `tokenBalances`, and the wallet for `allowedWallets`), not the ledger: validation checks
 * the token, `authz` is what reads the chain again.
 */
export async function validate(state: EmulatorState, request: Request): Promise<Response> {
  const body = await jsonBody(request);
  const accessToken = requiredString(body, "accessToken");
  const requirements = parseRequirements(body.requirements);
  const claims = await state.tokens.verify(accessToken);
  if (requirements) {
    const chain = chainOfToken(claims);
    judge(requirements, chain, claims.walletAddress, lookupIn(claims.tokenBalances, chain.chainType));
  }
  const answer: SchemaAccessTokenPayload = claims;
  return json(answer);
}

/** The proven balances, or 403 when the wallet meets no requirement (400 on a chain without gating). */
function judge(requirements: Requirements, chain: ChainInfo, walletAddress: string, balances: BalanceLookup) {
  requireGating(chain);
  const verdict = evaluate(requirements, balances, walletAddress, chain.chainType);
  if (!verdict.allowed) throw unmet(requirements);
  return verdict.tokenBalances;
}

function chainOfToken(claims: Claims): ChainInfo {
  const chain = findChain(claims.chain);
  // Only this emulator's own tokens get here, and it issues them for known chains only.
  if (!chain) throw new Error(`token for unknown chain ${claims.chain}`);
  return chain;
}
