/**
 * The Chains and Wallets operations (reference §4.5–§4.7): `GET /chains`, `GET /chains/{chain}`
 * and `POST /chains/{chain}/wallets/{walletAddress}/tokenOwnership`.
 */
import type { SchemaChainList, SchemaTokenOwnershipResponse } from "../../generated/picket.js";
import { invalidProjectKey, type KeyKind } from "./api-keys.js";
import { CHAINS, chainFromPath, walletAddressOf } from "./chains.js";
import { invalidParameter } from "./failure.js";
import { json, jsonBody } from "./http.js";
import { BALANCE_KINDS, evaluate, parseRequirements, requireGating } from "./requirements.js";
import type { EmulatorState } from "./state.js";

/** `GET /chains`: every chain, wrapped in `data` (§4.6). */
export function listChains(): Response {
  const answer: SchemaChainList = { data: CHAINS.map((chain) => ({ ...chain })) };
  return json(answer);
}

/** `GET /chains/{chain}`: one chain, not wrapped; 404 `resource_not_found` for an unknown slug (§4.7). */
export function getChain(slug: string): Response {
  return json({ ...chainFromPath(slug) });
}

/**
 * `POST /chains/{chain}/wallets/{walletAddress}/tokenOwnership`: whether the wallet meets the
 * requirements by the ledger, with every balance looked at. The requirement fields come **flat**
 * in the body (§4.5): an empty body or one wrapped in `requirements` is a 400.
 *
 * Only the secret key is accepted, as our document's Wallets tag says (whether Picket refused a
 * publishable key is not known, §2.3): a publishable key is answered 401 `api_key_invalid`.
 */
export async function tokenOwnership(state: EmulatorState, request: Request, kind: KeyKind, slug: string, walletAddress: string): Promise<Response> {
  if (kind !== "secret") throw invalidProjectKey("tokenOwnership takes the project's secret key, and a publishable key was sent");
  const chain = chainFromPath(slug);
  walletAddressOf(walletAddress, chain);
  const body = await jsonBody(request);
  if (Object.hasOwn(body, "requirements")) throw invalidParameter("the requirement fields go directly in the body, not wrapped in `requirements`");
  const requirements = parseRequirements(body, "the body");
  if (!requirements) throw invalidParameter(`name at least one requirement in the body: ${[...BALANCE_KINDS, "allowedWallets"].join(", ")}`);
  requireGating(chain);
  const verdict = evaluate(requirements, state.ledger.lookup(chain, walletAddress), walletAddress, chain.chainType);
  const answer: SchemaTokenOwnershipResponse = { allowed: verdict.allowed, tokenBalances: verdict.tokenBalances };
  return json(answer);
}
