// The package's entry points, checked without a build: package.json's `exports` names exactly the
// entries of scripts/entries.mjs, each pointing at the four files the build writes for it, and
// each entry's source exports what the list says (and nothing of the other API). That the built
// files exist and load by name — import() and require(), from the packed tarball — is
// `npm run check:package`'s part, which CI runs after the build.
import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { entries } from "../scripts/entries.mjs";

const manifest = JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };

/** Where an entry's files are under dist/esm, dist/cjs and src: "" for the root, "puid/" for ./puid. */
const folder = (subpath: string) => (subpath === "." ? "" : `${subpath.slice(2)}/`);

test("package.json exports every listed entry and no unlisted one", () => {
  // A subpath that maps to one file as it is (./package.json) is a file, not an entry.
  const subpaths = Object.entries(manifest.exports).flatMap(([subpath, target]) => (typeof target === "string" ? [] : [subpath]));
  expect(subpaths.sort()).toEqual(entries.map((entry) => entry.subpath).sort());
});

describe.each(entries)("$specifier", (entry) => {
  const dir = folder(entry.subpath);

  test("its exports point at the ESM and CommonJS files and declarations the build writes", () => {
    expect(manifest.exports[entry.subpath]).toEqual({
      import: { types: `./dist/esm/${dir}index.d.ts`, default: `./dist/esm/${dir}index.js` },
      require: { types: `./dist/cjs/${dir}index.d.ts`, default: `./dist/cjs/${dir}index.js` },
    });
  });

  test("its source exports the listed names, and none of the other API's", async () => {
    const module = (await import(/* @vite-ignore */ new URL(`../src/${dir}index.ts`, import.meta.url).href)) as Record<string, unknown>;
    const types = Object.fromEntries(Object.keys(entry.exports).map((name) => [name, typeof module[name]]));
    expect(types).toEqual(entry.exports);
    for (const name of entry.forbidden ?? []) expect(module).not.toHaveProperty(name);
  });
});
