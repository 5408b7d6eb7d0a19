#!/usr/bin/env node
// `npm run docs`: build the docs site into site/ (not committed).
//
//   site/index.html              what the package is, install, the three ways to use it
//   site/puid.html, picket.html  Redoc references built from openapi/*.yaml with --inlineBundle:
//                                one self-contained file each, no CDN, no web fonts
//   site/sdk/                    TypeDoc reference of the package's own API
//
// Every operation gets `x-codeSamples` in TypeScript — the facade call and the typed path call —
// read from docs/samples/<api>/<operationId>.{facade,paths}.ts. Those files are compiled by
// `npm run typecheck` (tsconfig.samples.json), so a sample that stops compiling fails CI. They
// are injected into a copy of each document here; the YAML in openapi/ stays free of them.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const site = path.join(root, "site");
const work = path.join(root, ".tmp", "docs");
const bin = (/** @type {string} */ name) => path.join(root, "node_modules", ".bin", name);
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

export const apis = {
  puid: { title: "PUID API — picket-puid" },
  picket: { title: "Picket API — picket-puid" },
};
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
/** @type {[kind: string, label: string][]} */
const SAMPLES = [
  ["facade", "TypeScript (facade)"],
  ["paths", "TypeScript (typed path)"],
];

/**
 * @typedef {object} Operation An operation of a parsed OpenAPI document, as far as samples go.
 * @property {string} [operationId]
 * @property {string} [x-facade] `none` when no facade method calls it
 * @property {{ lang: string, label: string, source: string }[]} [x-codeSamples]
 */

/**
 * Add the sample files to every operation of a parsed document; return the problems found.
 * @param {string} api `puid` or `picket`
 * @param {{ paths?: Record<string, Partial<Record<string, Operation>>> }} doc
 */
export function injectSamples(api, doc) {
  /** @type {string[]} */
  const problems = [];
  const dir = path.join(root, "docs", "samples", api);
  const used = new Set();
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      // `x-facade: none` marks an operation no facade method calls (e.g. the server's own
      // description of itself): it shows the typed path call only.
      const kinds = op["x-facade"] === "none" ? SAMPLES.filter(([kind]) => kind !== "facade") : SAMPLES;
      op["x-codeSamples"] = kinds.flatMap(([kind, label]) => {
        const file = `${op.operationId}.${kind}.ts`;
        used.add(file);
        const full = path.join(dir, file);
        if (!fs.existsSync(full)) {
          problems.push(`missing sample docs/samples/${api}/${file}`);
          return [];
        }
        return [{ lang: "TypeScript", label, source: fs.readFileSync(full, "utf8").trimEnd() }];
      });
    }
  }
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!used.has(file)) problems.push(`docs/samples/${api}/${file} belongs to no operation`);
  }
  return problems;
}

/**
 * The one thing the inline bundle still fetches from another site is Redoc's attribution logo;
 * it is replaced by the same words drawn locally, so the page makes no request off this origin.
 */
const LOGO = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" font-weight="600" fill="#6b7280">Redocly</text></svg>')}`;
export function keepOffline(/** @type {string} */ html) {
  return html.replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g, LOGO);
}

/** @param {string} command @param {string[]} args */
function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: "pipe", env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } });
}

export function build() {
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(site, { recursive: true });
  fs.mkdirSync(work, { recursive: true });
  const problems = [];
  for (const [api, { title }] of Object.entries(apis)) {
    const doc = parse(fs.readFileSync(path.join(root, "openapi", `${api}.yaml`), "utf8"));
    problems.push(...injectSamples(api, doc));
    const bundled = path.join(work, `${api}.json`);
    fs.writeFileSync(bundled, JSON.stringify(doc));
    const page = path.join(site, `${api}.html`);
    run(bin("redocly"), ["build-docs", bundled, "--inlineBundle", "--title", title, "--output", page, "--lint-config", "off"]);
    fs.writeFileSync(page, keepOffline(fs.readFileSync(page, "utf8")));
  }
  if (problems.length) throw new Error(`Code samples:\n  ${problems.join("\n  ")}`);
  const index = fs.readFileSync(path.join(root, "docs", "index.html"), "utf8").replaceAll("{{version}}", pkg.version);
  fs.writeFileSync(path.join(site, "index.html"), index);
  // Browsers ask every origin for /favicon.ico; a local one keeps the console free of 404s.
  fs.copyFileSync(path.join(root, "docs", "favicon.svg"), path.join(site, "favicon.ico"));
  run(bin("typedoc"), ["--options", path.join(root, "typedoc.json")]);
  return site;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    console.log(`Docs built in ${path.relative(process.cwd(), build()) || "."}/ — \`npm run docs:serve\` to look at them.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
