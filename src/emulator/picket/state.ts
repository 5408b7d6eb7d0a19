/**
 * What every handler of the emulator reads and changes: the one project (keys, message settings,
 * redirect allow-list, ID), the clock, and the stores (nonces, ledger, tokens, OAuth codes).
 */
import type { Now } from "../serve.js";
import type { ProjectKeys } from "./api-keys.js";
import type { LoginDeps } from "./login.js";
import type { CodeStore } from "./oauth-codes.js";
import type { TokenAuthority } from "./tokens.js";

export interface EmulatorState extends LoginDeps {
  readonly keys: ProjectKeys;
  /** The project ID: every token's `aud`. */
  readonly projectId: string;
  /** The OAuth redirect URIs the project allows, compared exactly (a trailing slash matters, §4.8). */
  readonly redirectUris: readonly string[];
  readonly now: Now;
  readonly tokenTtlSeconds: number;
  readonly tokens: TokenAuthority;
  readonly codes: CodeStore;
}
