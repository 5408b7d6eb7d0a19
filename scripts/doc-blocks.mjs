// The TypeScript examples a user reads, found where the docs keep them, and written out as a
// project of one module per example so the compiler and a runtime can check each as it stands.
//
//   README.md, docs/*.md          every ```ts (or ```typescript) fence
//   docs/samples/<api>/*.ts       every file: the samples the API references show per operation
//   docs/index.html               every <pre><code class="language-ts"> of the site's front page
//   src/**/*.ts (not generated)   every ```ts fence of a TSDoc comment (`@example` or in the text):
//                                 TypeDoc shows them in the reference (site/sdk/), editors on hover
//
// test/doc-snippets.test.ts compiles and runs them all against the emulators (paths into src/);
// scripts/check-package.mjs compiles the README's against the packed tarball.
import fs from "node:fs";
import path from "node:path";

/**
 * @typedef {object} DocBlock One example, as a reader sees it.
 * @property {string} source Where it is, relative to the repository: `README.md`, `docs/samples/puid/getQuota.facade.ts`.
 * @property {number} line The line of the source its first line of code is on.
 * @property {string} name A name for its module, unique among the blocks: `README.md-L42`.
 * @property {string} code The code, as shown.
 * @property {string | null} compileOnly Why it is not run, when it says so (`// compile-only: <why>`), else `null`.
 */

/** The comment that keeps a block from being run (never from being compiled); readers see it, with its reason. */
const COMPILE_ONLY = /^[ \t]*\/\/[ \t]*compile-only:[ \t]*(.*\S)/m;

/**
 * A block found in `source` at `line`.
 * @param {string} source @param {number} line @param {string} code @param {boolean} [numbered] add the line to the name
 * @returns {DocBlock}
 */
function block(source, line, code, numbered = true) {
  const base = source.replace(/\.ts$/, "").replace(/[^\w.-]+/g, "-");
  return { source, line, name: numbered ? `${base}-L${line}` : base, code, compileOnly: COMPILE_ONLY.exec(code)?.[1] ?? null };
}

/**
 * The ```ts fences of a Markdown text, each with the indentation of its fence removed.
 * @param {string} text @param {string} source
 * @returns {DocBlock[]}
 */
export function markdownBlocks(text, source) {
  /** @type {DocBlock[]} */
  const blocks = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^([ \t]*)(`{3,}|~{3,})[ \t]*(ts|typescript)[ \t]*$/.exec(/** @type {string} */ (lines[i]));
    if (!open) continue;
    const [, indent = "", fence = "```"] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^[ \\t]*${fence[0]}{${fence.length},}[ \\t]*$`).test(/** @type {string} */ (lines[j])); j++) {
      const line = /** @type {string} */ (lines[j]);
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    if (j === lines.length) throw new Error(`${source}:${i + 1}: a \`\`\`ts fence that is never closed`);
    blocks.push(block(source, i + 2, `${body.join("\n")}\n`));
    i = j;
  }
  return blocks;
}

/** @type {Record<string, string>} */
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: " " };

/**
 * The `<pre><code class="language-ts">` blocks of an HTML page, with their entities decoded.
 * @param {string} html @param {string} source
 * @returns {DocBlock[]}
 */
export function htmlBlocks(html, source) {
  /** @type {DocBlock[]} */
  const blocks = [];
  for (const match of html.matchAll(/<pre[^>]*>\s*<code class="language-(?:ts|typescript)">([\s\S]*?)<\/code>\s*<\/pre>/g)) {
    const code = /** @type {string} */ (match[1]).replace(/&(#?\w+);/g, (entity, name) => ENTITIES[name] ?? entity);
    const line = html.slice(0, (match.index ?? 0) + match[0].indexOf(">") + 1).split("\n").length;
    blocks.push(block(source, line, `${code.trimEnd()}\n`));
  }
  return blocks;
}

/**
 * The ```ts fences of the TSDoc comments of a TypeScript source, each named by the file and the
 * line its code starts on. A comment's text is read as TypeDoc reads it, without the ` * ` that
 * starts each line, and is Markdown: the same fences as a Markdown file's, found the same way.
 * An `@example` with no fence fails: TypeDoc would show its text as code no compiler has seen.
 * @param {string} text @param {string} source
 * @returns {DocBlock[]}
 */
export function commentBlocks(text, source) {
  // The comments' text where it stands, and blank lines for the code between them, so a fence's
  // line in the text is its line in the source.
  const lines = text.split("\n");
  /** @type {(string | null)[]} */
  const prose = lines.map(() => null); // null: not a line of a comment's text
  let inside = false;
  lines.forEach((line, i) => {
    // `/**` then a space or the line's end: not the `src/**/*.ts` of a line comment.
    const open = /\/\*\*(?=\s|$)/.exec(line);
    if (!inside) inside = open !== null && !line.slice(open.index + 3).includes("*/");
    else if (line.includes("*/")) inside = false;
    else prose[i] = line.replace(/^\s*\* ?/, "");
  });
  prose.forEach((line, i) => {
    if (line === null || !/^@example\b/.test(line)) return;
    let next = i + 1;
    while (prose[next]?.trim() === "") next++;
    if (!/^(`{3,}|~{3,})[ \t]*(ts|typescript)[ \t]*$/.test(prose[next] ?? "")) {
      throw new Error(`${source}:${i + 1}: an @example without a \`\`\`ts fence: put its code in one, so that the doc test compiles and runs it`);
    }
  });
  return markdownBlocks(prose.map((line) => line ?? "").join("\n"), source);
}

/**
 * Every TypeScript example of the docs: README.md and docs/*.md, docs/samples, docs/index.html,
 * and the TSDoc comments of src/ (not src/generated, whose `@example`s are schema values).
 * @param {string} root the repository
 * @returns {DocBlock[]}
 */
export function docBlocks(root) {
  const read = (/** @type {string} */ file) => fs.readFileSync(path.join(root, file), "utf8");
  const markdown = [
    "README.md",
    ...fs
      .readdirSync(path.join(root, "docs"))
      .filter((file) => file.endsWith(".md"))
      .sort()
      .map((file) => `docs/${file}`),
  ];
  const samples = fs
    .readdirSync(path.join(root, "docs", "samples"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .sort()
    .map((file) => `docs/samples/${file.split(path.sep).join("/")}`);
  const sources = fs
    .readdirSync(path.join(root, "src"), { recursive: true, encoding: "utf8" })
    .map((file) => `src/${file.split(path.sep).join("/")}`)
    .filter((file) => file.endsWith(".ts") && !file.startsWith("src/generated/"))
    .sort();
  return [
    ...markdown.flatMap((file) => markdownBlocks(read(file), file)),
    ...samples.map((file) => block(file, 1, read(file), false)),
    ...htmlBlocks(read("docs/index.html"), "docs/index.html"),
    ...sources.flatMap((file) => commentBlocks(read(file), file)),
  ];
}

/**
 * The compiler settings of a user's project, in both module systems that matter: Node's own
 * (`nodenext`) and a bundler's. Strict, with `noUncheckedIndexedAccess`: examples must compile in
 * the strictest project a reader may paste them into. Every file is a module (they use top-level
 * `await`), and Node's types are there (they read `process.env`).
 */
export const SNIPPET_SETTINGS = {
  nodenext: { module: "nodenext", moduleResolution: "nodenext" },
  bundler: { module: "esnext", moduleResolution: "bundler" },
};

/**
 * Write `blocks` into `dir` as an ES module project: one `<name>.ts` per block, a package.json
 * that makes them ES modules, and a tsconfig per setting (`tsconfig.json` for nodenext, which tsx
 * also reads; `tsconfig.bundler.json`). `paths` maps package names to files (e.g. `picket-puid` to
 * the repository's src/); left out, packages resolve from node_modules as a user's would.
 * @param {string} dir
 * @param {readonly DocBlock[]} blocks
 * @param {{ paths?: Record<string, string[]> }} [options]
 * @returns {{ nodenext: string, bundler: string }} the tsconfig of each setting
 */
export function writeSnippetProject(dir, blocks, options = {}) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ private: true, type: "module" }, null, 2)}\n`);
  for (const { name, code } of blocks) fs.writeFileSync(path.join(dir, `${name}.ts`), code);
  const files = blocks.map(({ name }) => `${name}.ts`);
  const config = (/** @type {keyof typeof SNIPPET_SETTINGS} */ setting) => ({
    compilerOptions: {
      target: "es2022",
      lib: ["es2022", "dom", "dom.iterable"],
      types: ["node"],
      ...SNIPPET_SETTINGS[setting],
      moduleDetection: "force",
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      ...(options.paths ? { paths: options.paths } : {}),
    },
    files,
  });
  const nodenext = path.join(dir, "tsconfig.json");
  const bundler = path.join(dir, "tsconfig.bundler.json");
  fs.writeFileSync(nodenext, `${JSON.stringify(config("nodenext"), null, 2)}\n`);
  fs.writeFileSync(bundler, `${JSON.stringify(config("bundler"), null, 2)}\n`);
  return { nodenext, bundler };
}

/**
 * A compiler's report with each snippet module's position turned back into its place in the docs:
 * `README.md-L42.ts(3,7): error TS2322` becomes `README.md:44:7 (README.md-L42.ts(3,7)): error TS2322`.
 * @param {string} output what tsc printed (with `--pretty false`)
 * @param {readonly DocBlock[]} blocks
 */
export function locate(output, blocks) {
  const byFile = new Map(blocks.map((b) => [`${b.name}.ts`, b]));
  return output.replace(/^(?:.*[\\/])?([^\\/\s(]+\.ts)\((\d+),(\d+)\)/gm, (whole, file, row, column) => {
    const found = byFile.get(file);
    return found ? `${found.source}:${found.line + Number(row) - 1}:${column} (${whole})` : whole;
  });
}
