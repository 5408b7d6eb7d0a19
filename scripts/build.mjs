#!/usr/bin/env node
// `npm run build`: what ships, from src/.
//
//   dist/esm  ESM: each entry (picket-puid, /puid, /picket) bundled by esbuild with shared chunks,
//             so an import loads a handful of files rather than ~20 modules, and classes such as
//             PicketPuidError stay one class across entries; declarations from tsc.
//   dist/cjs  CommonJS: tsc's per-module output with declarations; its own package.json says
//             "type": "commonjs".
//   dist/cli  the picket-puid command, bundled for Node.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsc = path.join(root, "node_modules", ".bin", "tsc");

fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
execFileSync(tsc, ["-p", "tsconfig.build.json", "--emitDeclarationOnly"], { cwd: root, stdio: "inherit" });
execFileSync(tsc, ["-p", "tsconfig.cjs.json"], { cwd: root, stdio: "inherit" });
fs.writeFileSync(path.join(root, "dist", "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);

// Dependencies stay imports: the package's own (openapi-fetch; the emulator's hono, noble, jose)
// and its optional peer (redis) are installed beside it.
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const external = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {}), "node:*"];

// TokenSource is an entry here only to get a chunk of its own. Otherwise it shares one with PUID's
// wiring (src/puid/api.ts), which Puid needs at import, and a bundler that places code by module
// (Rollup, Vite) would load it with Puid, although only the OAuth flows, which Puid loads on first
// use, build one. The entry's own file is not part of the package: it is removed below.
const TOKEN_SOURCE_ENTRY = "chunks/token-source";
await esbuild.build({
  absWorkingDir: root,
  entryPoints: {
    index: "src/index.ts",
    "puid/index": "src/puid/index.ts",
    "picket/index": "src/picket/index.ts",
    "emulator/index": "src/emulator/index.ts",
    "redis/index": "src/redis/index.ts",
    [TOKEN_SOURCE_ENTRY]: "src/core/token-source.ts",
  },
  outdir: "dist/esm",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external,
  chunkNames: "chunks/[name]-[hash]",
  // Stack traces point at the TypeScript the code came from, which the maps carry with them.
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
});
for (const file of [`${TOKEN_SOURCE_ENTRY}.js`, `${TOKEN_SOURCE_ENTRY}.js.map`]) fs.rmSync(path.join(root, "dist/esm", file));
// The picket-puid command: one Node ESM file with a shebang, its dependencies imported.
if (fs.existsSync(path.join(root, "src/cli/main.ts"))) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ["src/cli/main.ts"],
    outfile: "dist/cli/picket-puid.mjs",
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external,
    banner: { js: "#!/usr/bin/env node" },
    legalComments: "none",
    logLevel: "warning",
  });
  fs.chmodSync(path.join(root, "dist/cli/picket-puid.mjs"), 0o755);
}
console.log("dist/esm (bundled entries, shared chunks), dist/cjs and dist/cli built");
