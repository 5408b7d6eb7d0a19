/**
 * `picket-puid`: typed clients for the Picket and PUID HTTP APIs. Each API also has its own
 * entry (`picket-puid/puid`, `picket-puid/picket`) so a bundle takes only what it uses.
 * @module picket-puid
 */
export * from "./puid/index.js";
export * from "./picket/index.js";
export { VERSION } from "./version.js";
