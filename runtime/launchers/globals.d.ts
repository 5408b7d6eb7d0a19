// Globals the launchers use that no installed types declare, so that `npm run typecheck` checks
// the launchers too. Bun's and Deno's own types are not installed here: the launchers read three
// properties of them, which is not worth a dependency.
declare const Bun: { readonly argv: readonly string[]; readonly version: string };
declare const Deno: { readonly args: readonly string[]; readonly version: { readonly deno: string }; exitCode: number };
/** Where the browser launcher leaves the smoke's outcome for the driver (runtime/run.mjs) to read. */
declare var __smoke: { ok: boolean; detail: string } | undefined;
