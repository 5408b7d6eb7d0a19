/**
 * One wallet login, shared by `POST /auth` and the pre-signed `GET /oauth2/authorize`: rebuild
 * the message from the wallet's live nonce (reference §7.3, §7.4), check the signature for the
 * chain type, judge the requirements against the ledger (§5.1), and only then use up the nonce.
 */
import type { SchemaSigningMessageFormat } from "../../generated/picket.js";
import { sameAddressKey, type ChainInfo } from "./chains.js";
import { invalidParameter, invalidSignature } from "./failure.js";
import type { Ledger } from "./ledger.js";
import type { NonceStore } from "./nonces.js";
import { evaluate, requireGating, unmet, type Requirements } from "./requirements.js";
import { signatureProblem } from "./signatures.js";
import { signingMessage, siweContext } from "./signing-message.js";
import type { TokenUser } from "./tokens.js";
import type { FlowKeyring } from "./verify-flow.js";

/** What a login reads: the project's message settings, its nonces, the ledger and Flow's keys. */
export interface LoginDeps {
  readonly statement: string;
  readonly format: SchemaSigningMessageFormat;
  readonly nonces: NonceStore;
  readonly ledger: Ledger;
  readonly flow: FlowKeyring;
}

/** A login attempt, with the chain and wallet already checked. */
export interface LoginAttempt {
  readonly chain: ChainInfo;
  readonly walletAddress: string;
  readonly signature: unknown;
  /** The request's `context`, used only by `siwe` projects (python sends `{}`, go all strings). */
  readonly context: unknown;
  readonly requirements: Requirements | undefined;
}

/**
 * Check a login; on success the wallet's nonce is used up and the user (with the balances the
 * requirements looked at) is returned.
 *
 * @throws {PicketFailure} 400 `parameter_invalid` for a missing signature or siwe context field,
 *   or requirements on a chain without token gating; 400 "invalid signature: …" for a dead nonce
 *   or a signature that is not the wallet's; 403 `permission_denied` for unmet requirements.
 */
export function login(deps: LoginDeps, attempt: LoginAttempt): TokenUser {
  const { chain, walletAddress, signature, requirements } = attempt;
  if (typeof signature !== "string" || signature === "") throw invalidParameter("signature is required");
  if (requirements) requireGating(chain);
  const siwe = deps.format === "siwe" ? siweContext(attempt.context, chain.chainType) : undefined;
  const walletKey = sameAddressKey(chain.chainType, walletAddress);
  const nonce = deps.nonces.live(walletKey);
  if (!nonce) throw invalidSignature(deps.nonces.whyNotLive(walletKey));
  const message = signingMessage({ format: deps.format, statement: deps.statement, walletAddress, nonce: nonce.nonce, chainType: chain.chainType, siwe });
  const problem = signatureProblem(chain.chainType, message, signature, walletAddress, deps.flow);
  if (problem) throw invalidSignature(problem);
  let tokenBalances = {};
  if (requirements) {
    const verdict = evaluate(requirements, deps.ledger.lookup(chain, walletAddress), walletAddress, chain.chainType);
    if (!verdict.allowed) throw unmet(requirements);
    tokenBalances = verdict.tokenBalances;
  }
  deps.nonces.consume(walletKey, nonce);
  return { chain: chain.chainSlug, walletAddress, displayAddress: walletAddress, tokenBalances };
}
