#!/usr/bin/env node
// `npm run check:package`: the package as it ships. Run after `npm run build`.
//
// 1. publint --strict finds nothing; attw --pack reports no problem (node10, node16 CJS/ESM, bundler).
// 2. The tarball (npm pack) installs into a fresh project, and every entry of scripts/entries.mjs
//    that package.json exports both import()s and require()s there, exporting what the list says
//    (each name with its `typeof`) and none of the names it must not.
// 3. The published declarations compile in that project under node16 (ESM and CJS) and bundler
//    resolution: with every declaration checked (skipLibCheck off) from TypeScript 5.4 — the
//    oldest that accepts openapi-fetch 0.17's own declarations — to the newest 5.x; and a user's
//    code against our API still type-checks on TypeScript 5.0 with skipLibCheck (the tsc --init default).
//    The README's TypeScript blocks compile there too, each as a module of its own (nodenext and
//    bundler, strict with noUncheckedIndexedAccess), as a reader who pastes them would see them.
// 4. Entry isolation, by what the bundles contain: importing one API's entry pulls in none of the
//    other API's code, and no facade entry (picket-puid, /puid, /picket) pulls in any library of
//    an optional part (the emulator's, Redis's). Each marker is first found in its own code, so a
//    check that could not see it fails instead of passing.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { locate, markdownBlocks, writeSnippetProject } from "./doc-blocks.mjs";
import { entries } from "./entries.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** @type {{ exports: Record<string, string | Record<string, Record<string, string>>>, dependencies?: Record<string, string>, peerDependencies?: Record<string, string>, devDependencies?: Record<string, string> }} */
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const bin = (/** @type {string} */ name) => path.join(root, "node_modules", ".bin", name);
const NEWEST = JSON.parse(fs.readFileSync(path.join(root, "node_modules/typescript/package.json"), "utf8")).version;
const TYPESCRIPT_VERSIONS = ["5.0.4", "5.4.5", NEWEST];
/** Which declarations each TypeScript checks: 5.0–5.3 reject openapi-fetch's own .d.ts, so they skip libraries. */
const skipLibCheck = (/** @type {string} */ version) => (version.startsWith("5.0.") ? "true" : "false");
let failures = 0;

/**
 * Run one check and print ✓ or ✗ with what it said; a failure is counted, and the checks go on.
 * @param {string} name
 * @param {() => string | void | Promise<string | void>} run returns a detail for the ✓ line, throws to fail
 */
async function step(name, run) {
  try {
    const detail = await run();
    console.log(`✓ ${name}${detail ? `: ${detail}` : ""}`);
  } catch (caught) {
    failures++;
    // A failed command (execFileSync) carries its output; anything else, a message.
    const error = /** @type {{ stdout?: string, stderr?: string, message?: unknown }} */ (caught);
    console.log(`✗ ${name}\n${String(error.stdout ?? "")}${String(error.stderr ?? "")}${error.stdout || error.stderr ? "" : String(error.message ?? caught)}`);
  }
}
/** @type {(file: string, args: string[], cwd?: string) => string} */
const sh = (file, args, cwd = root) =>
  execFileSync(file, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });

await step("publint --strict", () => {
  const out = sh(bin("publint"), ["--strict"]);
  if (!out.includes("All good")) throw Object.assign(new Error("publint found problems"), { stdout: out });
  return "all good";
});
await step("attw --pack (node10, node16 CJS/ESM, bundler)", () => {
  // The code entries only: the OpenAPI documents it also exports are data files with no types.
  const out = sh(bin("attw"), ["--pack", ".", "--format", "table-flipped", "--entrypoints", ...entries.map((entry) => entry.subpath)]);
  return out.includes("No problems found")
    ? "no problems"
    : (() => {
        throw Object.assign(new Error("attw found problems"), { stdout: out });
      })();
});

// A consumer project of our own, outside the repository, with the tarball installed.
const work = fs.mkdtempSync(path.join(os.tmpdir(), "picket-puid-consumer-"));
// npm pack prints the tarball's name last (split always yields at least one line).
const tarball = path.join(work, /** @type {string} */ (sh("npm", ["pack", "--silent", "--pack-destination", work]).trim().split("\n").pop()));
fs.writeFileSync(path.join(work, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
// The README's examples import a few packages besides this one (redis, viem) and read
// process.env: the project gets them, and Node's types, at the versions this repository uses.
const readme = markdownBlocks(fs.readFileSync(path.join(root, "README.md"), "utf8"), "README.md");
const versions = { ...manifest.devDependencies, ...manifest.dependencies };
const readmePackages = [
  ...new Set(readme.flatMap(({ code }) => [...code.matchAll(/^import [^;]*? from "([^".][^"]*)";/gm)].map((m) => packageName(/** @type {string} */ (m[1]))))),
]
  .filter((name) => !name.startsWith("node:") && name !== "picket-puid")
  .concat("@types/node")
  .map(
    (name) =>
      `${name}@${
        versions[name] ??
        (() => {
          throw new Error(`the README imports ${name}, which package.json does not list`);
        })()
      }`,
  );
await step("npm install <tarball> into a fresh project", () => {
  sh("npm", ["install", "--no-save", "--silent", tarball, ...TYPESCRIPT_VERSIONS.map((v, i) => `ts${i}@npm:typescript@${v}`), ...readmePackages], work);
  return `${path.basename(tarball)}, with ${readmePackages.join(", ")} for the README's examples`;
});

/** A module's exports as `{ name: typeof value }`, printed as JSON by the script that loaded it into `m`. */
const printTypes = "console.log(JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v]))))";
for (const entry of entries) {
  const check = (/** @type {Record<string, string>} */ types) => {
    const wrong = Object.entries(entry.exports).filter(([name, type]) => types[name] !== type);
    if (wrong.length)
      throw new Error(`${entry.specifier} lacks ${wrong.map(([name, type]) => `${name} (a ${type}; found ${types[name] ?? "nothing"})`).join(", ")}`);
    const foreign = (entry.forbidden ?? []).filter((name) => name in types);
    if (foreign.length) throw new Error(`${entry.specifier} exports ${foreign.join(", ")}, which it must not`);
    return `${Object.keys(types).length} exports`;
  };
  const specifier = JSON.stringify(entry.specifier);
  await step(`import(${specifier})`, () =>
    check(JSON.parse(sh(process.execPath, ["--input-type=module", "-e", `import(${specifier}).then((m) => ${printTypes})`], work))),
  );
  await step(`require(${specifier})`, () =>
    check(JSON.parse(sh(process.execPath, ["--input-type=commonjs", "-e", `const m = require(${specifier}); ${printTypes}`], work))),
  );
}

fs.copyFileSync(path.join(root, "test/consumer/usage.ts"), path.join(work, "usage.ts"));
fs.copyFileSync(path.join(root, "test/consumer/usage.ts"), path.join(work, "usage.cts"));
const settings = [
  { name: "node16, ESM", file: "usage.ts", options: ["--module", "node16", "--moduleResolution", "node16"] },
  { name: "node16, CJS", file: "usage.cts", options: ["--module", "node16", "--moduleResolution", "node16"] },
  { name: "bundler", file: "usage.ts", options: ["--module", "esnext", "--moduleResolution", "bundler"] },
];
for (const [i, version] of TYPESCRIPT_VERSIONS.entries()) {
  for (const { name, file, options } of settings) {
    await step(`TypeScript ${version}, ${name}, skipLibCheck ${skipLibCheck(version)}`, () =>
      sh(
        process.execPath,
        [
          path.join(work, "node_modules", `ts${i}`, "bin", "tsc"),
          "--noEmit",
          "--strict",
          "--target",
          "es2022",
          "--lib",
          "es2022,dom",
          "--skipLibCheck",
          skipLibCheck(version),
          ...options,
          file,
        ],
        work,
      ),
    );
  }
}

const readmeConfigs = writeSnippetProject(path.join(work, "readme"), readme);
for (const [name, config] of Object.entries(readmeConfigs)) {
  await step(`the README's ${readme.length} TypeScript blocks compile against the package (TypeScript ${NEWEST}, ${name})`, () => {
    const tsc = path.join(work, "node_modules", `ts${TYPESCRIPT_VERSIONS.length - 1}`, "bin", "tsc");
    try {
      sh(process.execPath, [tsc, "-p", config, "--pretty", "false"], work);
    } catch (caught) {
      const error = /** @type {{ stdout?: string, stderr?: string }} */ (caught);
      throw Object.assign(new Error("tsc failed"), { stdout: locate(`${String(error.stdout ?? "")}${String(error.stderr ?? "")}`, readme) });
    }
  });
}

const esbuild = await import("esbuild");
/**
 * `contents` (an ES module resolved from the repository's root) bundled with all it imports, as
 * one text. The facades are bundled for browsers, where they run (so one that imports a Node-only
 * module already fails to bundle); a library for Node when it runs only there.
 * @param {string} contents
 * @param {"browser" | "node"} [platform]
 */
async function bundled(contents, platform = "browser") {
  const result = await esbuild.build({ stdin: { contents, resolveDir: root }, bundle: true, write: false, format: "esm", platform, logLevel: "silent" });
  return result.outputFiles.map((file) => file.text).join("\n");
}
/** @type {Map<string, string>} each facade entry's bundle, by specifier */
const facades = new Map();
for (const entry of entries.filter((e) => e.part === "facade")) {
  const target = manifest.exports[entry.subpath];
  const file = typeof target === "string" ? target : target?.import?.default; // what an import of it loads
  await step(`bundle ${entry.specifier} (${file}) for a browser`, async () => {
    if (!file) throw new Error(`package.json exports no file to import for ${entry.subpath}`);
    const code = await bundled(`export * from ${JSON.stringify(file)};`);
    facades.set(entry.specifier, code);
    return `${code.length} bytes`;
  });
}

// Text only one API's code contains: its base URL.
const marker = { puid: "puid.dev", picket: "picketapi.com" };
/** @type {["puid" | "picket", "puid" | "picket"][]} */
const pairs = [
  ["puid", "picket"],
  ["picket", "puid"],
];
for (const [entry, other] of pairs) {
  const code = facades.get(`picket-puid/${entry}`) ?? "";
  await step(`picket-puid/${entry} bundles no ${other} code`, () => {
    if (!code.includes(marker[entry])) throw new Error(`the check is blind: ${entry}'s own marker ${marker[entry]} is missing`);
    if (code.includes(marker[other])) throw new Error(`found ${marker[other]} in the ${entry} bundle`);
    return `no ${marker[other]}`;
  });
}

/** The facade entries' one runtime dependency (for the typed client); every other is an optional part's. */
const FACADE_DEPENDENCIES = ["openapi-fetch"];
/**
 * Text that each optional part's library has in the code an import of it brings in (an error
 * message or a constant: literals, which survive bundling and minifying), and an import of it as
 * its part uses it, to find the text there first.
 * @type {{ library: string, marker: string, imports: string, platform?: "node" }[]}
 */
const OPTIONAL_LIBRARIES = [
  { library: "hono", marker: "Context is not finalized", imports: 'export { Hono } from "hono";' },
  { library: "@hono/node-server", marker: "Backslash in request path", imports: 'export { serve } from "@hono/node-server";', platform: "node" },
  // In the modular arithmetic under every curve (secp256k1, ed25519, p256).
  { library: "@noble/curves", marker: "mod: expected positive modulus", imports: 'export { secp256k1 } from "@noble/curves/secp256k1.js";' },
  { library: "@noble/hashes", marker: "expected integer >= 0", imports: 'export { sha256 } from "@noble/hashes/sha2.js";' },
  { library: "@scure/base", marker: "radix2: bits should be in (0..8]", imports: 'export { base64urlnopad } from "@scure/base";' },
  // The code of the error every jose function may throw.
  { library: "jose", marker: "ERR_JOSE_GENERIC", imports: 'export { SignJWT, jwtVerify } from "jose";' },
  { library: "redis", marker: "The client is closed", imports: 'export { createClient } from "redis";', platform: "node" },
];
await step("every library of an optional part has a marker", () => {
  const optional = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})].filter(
    (name) => !FACADE_DEPENDENCIES.includes(name),
  );
  const unmarked = optional.filter((name) => !OPTIONAL_LIBRARIES.some((l) => l.library === name));
  if (unmarked.length) throw new Error(`add a marker to OPTIONAL_LIBRARIES for ${unmarked.join(", ")}`);
  return optional.join(", ");
});
for (const { library, marker, imports, platform } of OPTIONAL_LIBRARIES) {
  await step(`${library}'s marker is in its own code`, async () => {
    const code = await bundled(imports, platform);
    if (!code.includes(marker)) throw new Error(`the check is blind: ${JSON.stringify(marker)} is not in ${library} as its part imports it`);
    return JSON.stringify(marker);
  });
}
for (const [specifier, code] of facades) {
  await step(`${specifier} bundles no library of an optional part`, () => {
    const found = OPTIONAL_LIBRARIES.filter(({ marker }) => code.includes(marker)).map(({ library }) => library);
    if (found.length) throw new Error(`found ${found.join(", ")} in the ${specifier} bundle`);
    return `none of ${OPTIONAL_LIBRARIES.map(({ library }) => library).join(", ")}`;
  });
}

/** The package an import specifier names: `viem` of `viem/accounts`, `@scope/name` of `@scope/name/sub`. */
function packageName(/** @type {string} */ specifier) {
  return specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
}

fs.rmSync(work, { recursive: true, force: true });
if (failures) {
  console.log(`${failures} package check(s) failed`);
  process.exit(1);
}
console.log("package checks passed");
