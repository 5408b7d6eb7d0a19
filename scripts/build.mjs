#!/usr/bin/env node
// `npm run build`: dist/esm (ESM) and dist/cjs (CommonJS), each with its declarations, from src/.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsc = path.join(root, "node_modules", ".bin", "tsc");

fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
for (const project of ["tsconfig.build.json", "tsconfig.cjs.json"]) {
  execFileSync(tsc, ["-p", project], { cwd: root, stdio: "inherit" });
}
fs.writeFileSync(path.join(root, "dist", "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
console.log("dist/esm and dist/cjs built");
