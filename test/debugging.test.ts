// What a developer sees while debugging the package as it ships. The build (`npm run build`,
// which writes dist/) runs once before these tests, unless dist/ is newer than everything the
// build reads; what they check runs in plain Node child processes, as a user's program would:
//
// - a `Puid` shows as `Puid` (util.inspect, constructor.name), from src/ and from both builds;
// - every built file has a source map that carries its sources, and a stack printed with
//   `--enable-source-maps` points into src/*.ts, for the ESM and the CommonJS build;
// - `instanceof PuidError` (and the base class) holds for errors from another copy of the
//   package: the CommonJS build's in an ESM program and back, and a second copy of the ESM build.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import util from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Picket, PicketError } from "../src/picket/index.js";
import { Puid, PuidError } from "../src/puid/index.js";
import { closedPort } from "./support/servers.js";

const run = util.promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const dist = path.join(root, "dist");
/** A scratch directory: a second copy of the ESM build, and the probe scripts. */
let scratch: string;

/**
 * Whether dist/ was built after the last change to what the build reads: src/ (its files, and its
 * directories, whose times change when a file is added or removed), the build script, its configs.
 */
function built(): boolean {
  const outputs = ["esm", "cjs"].flatMap((dir) => (fs.existsSync(path.join(dist, dir)) ? filesUnder(path.join(dist, dir), ".js") : []));
  if (!outputs.some((file) => file.endsWith(path.join("esm", "index.js"))) || !outputs.some((file) => file.endsWith(path.join("cjs", "index.js"))))
    return false;
  const src = path.join(root, "src");
  const directories = fs
    .readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(entry.parentPath, entry.name));
  const inputs = [
    ...filesUnder(src, ".ts"),
    src,
    ...directories,
    ...["package.json", "scripts/build.mjs", "tsconfig.json", "tsconfig.build.json", "tsconfig.cjs.json"].map((file) => path.join(root, file)),
  ];
  const time = (file: string) => fs.statSync(file).mtimeMs;
  return Math.max(...inputs.map(time)) < Math.min(...outputs.map(time));
}

beforeAll(async () => {
  if (!built()) await run(process.execPath, [path.join(root, "scripts/build.mjs")], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "picket-puid-debugging-"));
  fs.cpSync(path.join(dist, "esm"), path.join(scratch, "copy", "esm"), { recursive: true });
  // The copy resolves the package's dependencies (openapi-fetch) as an installed copy would.
  fs.symlinkSync(path.join(root, "node_modules"), path.join(scratch, "node_modules"), "dir");
}, 300_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** Run an ESM script in a plain Node child with no PUID or Picket variables; its stdout parsed as JSON. */
async function probe(name: string, source: string, flags: string[] = []): Promise<any> {
  const file = path.join(scratch, `${name}.mjs`);
  fs.writeFileSync(file, source);
  const env = { ...process.env };
  for (const variable of ["PUID_API_KEY", "PUID_ACCESS_TOKEN", "PUID_ENDPOINT", "PICKET_SECRET_KEY", "PICKET_BASE_URL", "PICKET_PUID_LOG"])
    delete env[variable];
  const { stdout } = await run(process.execPath, [...flags, file], { cwd: scratch, env });
  return JSON.parse(stdout);
}

/** Every file under `dir` whose name ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(suffix))
    .map((name) => path.join(dir, name));
}

const modules = () => ({
  esm: pathToFileURL(path.join(dist, "esm")).href,
  cjs: path.join(dist, "cjs"),
  copy: pathToFileURL(path.join(scratch, "copy", "esm")).href,
});

describe("class names", () => {
  test("from src: Puid and Picket show by their names, and so do their errors", () => {
    const puid = new Puid({ apiKey: "puid_live_0123456789abcdefghijklmn" });
    expect(puid.constructor.name).toBe("Puid");
    expect(util.inspect(puid)).toBe("Puid { endpoint: 'https://puid.dev/api' }");
    expect(new Picket("sk_0123456789abcdef").constructor.name).toBe("Picket");
    expect(util.inspect(new PuidError({ message: "m" })).startsWith("PuidError: m")).toBe(true);
    expect(new PicketError({ message: "m" }).name).toBe("PicketError");
  });

  test("from the ESM and the CommonJS build: the same names (a bundler must not rename them)", async () => {
    const { esm, cjs } = modules();
    const names = await probe(
      "names",
      `import util from "node:util";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const builds = {
  esm: { ...(await import(${JSON.stringify(`${esm}/puid/index.js`)})), ...(await import(${JSON.stringify(`${esm}/picket/index.js`)})) },
  cjs: { ...require(${JSON.stringify(`${cjs}/puid/index.js`)}), ...require(${JSON.stringify(`${cjs}/picket/index.js`)}) },
};
const out = {};
for (const [name, build] of Object.entries(builds)) {
  const puid = new build.Puid({ apiKey: "puid_live_0123456789abcdefghijklmn" });
  let error;
  try { new build.Puid({}); } catch (e) { error = e; }
  out[name] = {
    inspect: util.inspect(puid),
    constructor: puid.constructor.name,
    classes: [build.Puid.name, build.Picket.name, build.PuidError.name, build.PicketError.name],
    picket: new build.Picket("sk_0123456789abcdef").constructor.name,
    error: [error.name, util.inspect(error).split("\\n")[0]],
  };
}
console.log(JSON.stringify(out));`,
    );
    for (const build of ["esm", "cjs"]) {
      expect(names[build], build).toEqual({
        inspect: "Puid { endpoint: 'https://puid.dev/api' }",
        constructor: "Puid",
        classes: ["Puid", "Picket", "PuidError", "PicketError"],
        picket: "Picket",
        error: ["PuidError", expect.stringMatching(/^PuidError: No credential: /)],
      });
    }
  });
});

describe("source maps", () => {
  test("every built file names its map, and the map carries the text of every source, which is src/ as it is", () => {
    const built = [...filesUnder(path.join(dist, "esm"), ".js"), ...filesUnder(path.join(dist, "cjs"), ".js")];
    expect(built.length).toBeGreaterThan(20);
    const seen = new Set<string>();
    for (const file of built) {
      const code = fs.readFileSync(file, "utf8");
      const reference = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code);
      expect(reference, `${path.relative(root, file)} names no source map`).not.toBeNull();
      const mapFile = path.resolve(path.dirname(file), reference![1]!);
      const map = JSON.parse(fs.readFileSync(mapFile, "utf8")) as { sources: string[]; sourcesContent?: (string | null)[]; sourceRoot?: string };
      expect(map.sourcesContent, `${path.relative(root, mapFile)} has no sourcesContent`).toBeDefined();
      expect(map.sourcesContent).toHaveLength(map.sources.length);
      map.sources.forEach((source, i) => {
        const resolved = path.resolve(path.dirname(mapFile), map.sourceRoot ?? "", source);
        expect(resolved.startsWith(path.join(root, "src") + path.sep), `${source} in ${path.relative(root, mapFile)}`).toBe(true);
        expect(map.sourcesContent![i], `the text of ${source}`).toBe(fs.readFileSync(resolved, "utf8"));
        seen.add(path.relative(root, resolved));
      });
    }
    for (const source of ["src/puid/puid.ts", "src/picket/picket.ts", "src/core/transport.ts", "src/core/errors.ts"]) expect(seen).toContain(source);
  });

  test("with --enable-source-maps, the stack of an error from either build points into src/*.ts, thrown at once or after a request", async () => {
    const { esm, cjs } = modules();
    const endpoint = await closedPort();
    const stacks = await probe(
      "stacks",
      `import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const builds = { esm: await import(${JSON.stringify(`${esm}/puid/index.js`)}), cjs: require(${JSON.stringify(`${cjs}/puid/index.js`)}) };
const out = {};
for (const [name, { Puid }] of Object.entries(builds)) {
  try { new Puid({}); } catch (error) { out[name + " at once"] = error.stack; }
  try { await new Puid({ apiKey: "puid_live_0123456789abcdefghijklmn", endpoint: ${JSON.stringify(endpoint)}, maxRetries: 0 }).quota(); } catch (error) { out[name + " after a request"] = error.stack; }
}
console.log(JSON.stringify(out));`,
      ["--enable-source-maps"],
    );
    expect(Object.keys(stacks)).toEqual(["esm at once", "esm after a request", "cjs at once", "cjs after a request"]);
    for (const [name, stack] of Object.entries(stacks as Record<string, string>)) {
      const frames = stack.split("\n").filter((line) => line.trimStart().startsWith("at "));
      const ours = frames.filter((frame) => !frame.includes("node:") && !frame.includes(scratch));
      expect(ours.length, `${name}: ${stack}`).toBeGreaterThan(0);
      for (const frame of ours)
        expect(frame, `${name}: a frame outside src/`).toMatch(new RegExp(`${escape(path.join(root, "src"))}/[\\w/-]+\\.ts:\\d+:\\d+\\)?$`));
      expect(ours[0], name).toContain(path.join(root, "src", "puid", "errors.ts"));
    }
    expect(stacks["esm at once"]).toContain(path.join(root, "src", "puid", "puid.ts"));
    expect(stacks["cjs at once"]).toContain(path.join(root, "src", "puid", "puid.ts"));
  });
});

describe("instanceof across copies of the package", () => {
  test("an error from the ESM build, the CommonJS build or a second ESM copy is instanceof each copy's class, and only of its own kind", async () => {
    const { esm, cjs, copy } = modules();
    const result = await probe(
      "copies",
      `import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const copies = {
  esm: { ...(await import(${JSON.stringify(`${esm}/puid/index.js`)})), ...(await import(${JSON.stringify(`${esm}/picket/index.js`)})) },
  cjs: { ...require(${JSON.stringify(`${cjs}/puid/index.js`)}), ...require(${JSON.stringify(`${cjs}/picket/index.js`)}) },
  copy: { ...(await import(${JSON.stringify(`${copy}/puid/index.js`)})), ...(await import(${JSON.stringify(`${copy}/picket/index.js`)})) },
};
const thrown = (make) => { try { make(); } catch (error) { return error; } };
const out = { distinct: copies.esm.PuidError !== copies.cjs.PuidError && copies.esm.PuidError !== copies.copy.PuidError, puid: {}, picket: {}, base: {}, crossKind: {}, plain: {} };
for (const [from, made] of Object.entries(copies)) {
  const puidError = thrown(() => new made.Puid({}));
  const picketError = thrown(() => new made.Picket(""));
  for (const [to, other] of Object.entries(copies)) {
    out.puid[from + " → " + to] = puidError instanceof other.PuidError;
    out.picket[from + " → " + to] = picketError instanceof other.PicketError;
    out.base[from + " → " + to] = puidError instanceof other.PicketPuidError && picketError instanceof other.PicketPuidError;
    out.crossKind[from + " → " + to] = puidError instanceof other.PicketError || picketError instanceof other.PuidError;
    out.plain[to] = new Error("x") instanceof other.PuidError || Object.assign(new Error("x"), { name: "PuidError" }) instanceof other.PicketPuidError;
  }
}
console.log(JSON.stringify(out));`,
    );
    expect(result.distinct).toBe(true); // three copies of the classes, not one shared
    for (const relation of ["puid", "picket", "base"]) {
      expect(Object.keys(result[relation])).toHaveLength(9);
      for (const [pair, holds] of Object.entries(result[relation])) expect(holds, `${relation}: ${pair}`).toBe(true);
    }
    for (const [pair, holds] of Object.entries(result.crossKind)) expect(holds, `a PuidError is not a PicketError: ${pair}`).toBe(false);
    for (const [copyName, holds] of Object.entries(result.plain)) expect(holds, `a plain Error is no PuidError: ${copyName}`).toBe(false);
  });
});

/** `text` for use inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
