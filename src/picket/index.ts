/**
 * `picket-puid/picket`: the Picket API (web3 wallet authentication and token gating).
 * @packageDocumentation
 */
export { createPicketClient, PICKET_BASE_URL } from "./client.js";
export type { PicketClient, PicketClientOptions, PicketOptions } from "./client.js";
export { PicketError } from "./errors.js";
export { PicketPuidError } from "../core/errors.js";
export type {
  components as PicketComponents,
  paths as PicketPaths,
  operations as PicketOperations,
} from "../generated/picket.js";
