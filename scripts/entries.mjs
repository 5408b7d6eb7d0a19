// The package's entry points and what each must export: the one list that test/package.test.ts
// (against src/), scripts/check-package.mjs (against the packed tarball) and runtime/smoke.mjs (in
// every runtime) check. A new entry, or a name an entry now promises, is added here once.
//
// Plain data and no import on purpose: runtime/smoke.mjs is bundled into a browser page and a
// Worker, and this file goes with it.

/**
 * @typedef {"string" | "number" | "bigint" | "boolean" | "symbol" | "undefined" | "object" | "function"} TypeOf
 *   What `typeof` says of an exported value.
 */

/**
 * @typedef {object} Entry
 * @property {string} specifier How a user imports it.
 * @property {string} subpath Its key in package.json's `exports`.
 * @property {"facade" | "optional"} part A facade entry carries one API's client and nothing of an
 *   optional part's libraries; an optional part (emulator, Redis coordination) may carry its own.
 * @property {Record<string, TypeOf>} exports Names it must export (at least these), with what
 *   `typeof` says of each.
 * @property {readonly string[]} [forbidden] Names it must not export: for an API's own entry, the
 *   other API's, so a bundle that imports one API takes nothing of the other.
 */

/** @type {readonly Entry[]} */
export const entries = [
  {
    specifier: "picket-puid",
    subpath: ".",
    part: "facade",
    exports: {
      Puid: "function",
      PuidError: "function",
      createPuidClient: "function",
      Picket: "function",
      PicketError: "function",
      createPicketClient: "function",
      createSigningMessage: "function",
      PicketPuidError: "function",
      VERSION: "string",
    },
  },
  {
    specifier: "picket-puid/puid",
    subpath: "./puid",
    part: "facade",
    exports: { Puid: "function", PuidError: "function", PicketPuidError: "function", createPuidClient: "function", PUID_ENDPOINT: "string" },
    forbidden: ["Picket", "PicketError", "createPicketClient", "createSigningMessage"],
  },
  {
    specifier: "picket-puid/picket",
    subpath: "./picket",
    part: "facade",
    exports: { Picket: "function", PicketError: "function", PicketPuidError: "function", createPicketClient: "function", createSigningMessage: "function" },
    forbidden: ["Puid", "PuidError", "createPuidClient", "PUID_ENDPOINT"],
  },
  {
    specifier: "picket-puid/emulator",
    subpath: "./emulator",
    part: "optional",
    exports: { createPuidEmulator: "function", createPicketEmulator: "function", listen: "function", manualClock: "function" },
  },
  {
    specifier: "picket-puid/redis",
    subpath: "./redis",
    part: "optional",
    exports: { createRedisCoordination: "function", SEAL_SALT: "string", SEAL_INFO: "string" },
  },
];
