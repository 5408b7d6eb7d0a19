/**
 * `picket-puid/emulator`: local, stateful PUID and Picket servers to test against — each a
 * Web-standard `fetch` handler (pass it as a client's `fetch`, in any runtime) that can also
 * `listen()` on a local port. They keep their state in memory and read time from a clock you
 * can step (`manualClock()`), so tests never sleep.
 *
 * ```ts
 * import { createPuidEmulator } from "picket-puid/emulator";
 * import { Puid } from "picket-puid/puid";
 *
 * const emulator = createPuidEmulator();
 * const puid = new Puid({ apiKey: emulator.apiKeys[0]!, fetch: emulator.fetch });
 * const ids = await puid.ids(3);
 * ```
 * @module picket-puid/emulator
 */
export { createPuidEmulator } from "./puid.js";
export type {
  AuthorizeDecision,
  IssuedId,
  LoggedRequest as PuidEmulatorRequest,
  PuidEmulator,
  PuidEmulatorAccount,
  PuidEmulatorAccountInit,
  PuidEmulatorClient,
  PuidEmulatorClientInit,
  PuidEmulatorOptions,
  Token as PuidEmulatorToken,
  Usage as PuidEmulatorUsage,
} from "./puid.js";
export { createPicketEmulator } from "./picket.js";
export type {
  BalanceInput,
  BalanceKind,
  FlowAccountKey,
  FlowAccounts,
  Holdings,
  IssuedToken,
  LedgerInit,
  LedgerSnapshot,
  LoggedRequest as PicketEmulatorRequest,
  NonceRecord,
  PicketEmulator,
  PicketEmulatorOptions,
} from "./picket.js";
export { listen, manualClock } from "./serve.js";
export type { Listening, ListenOptions, ManualClock, Now } from "./serve.js";
