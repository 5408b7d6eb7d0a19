#!/usr/bin/env node
// Print vitest's totals from its JSON report as one line: `tests: N passed, M failed[, K skipped]`.
// Exits 1 when the report is missing, unreadable, counts a failure, or ran no test at all.
import fs from "node:fs";

/**
 * @typedef {object} Report The parts of vitest's JSON report read here.
 * @property {number} [numPassedTests]
 * @property {number} [numFailedTests]
 * @property {number} [numPendingTests]
 * @property {number} [numTodoTests]
 * @property {{ status: string, assertionResults?: unknown[] }[]} [testResults]
 */

const file = process.argv[2];
/** @type {Report} */
let report;
try {
  if (file === undefined) throw new Error("no report file named: node scripts/totals.mjs <report.json>");
  report = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (error) {
  console.log(`tests: 0 passed, 1 failed (no readable vitest report at ${file}: ${error instanceof Error ? error.message : String(error)})`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A test file that fails to load counts as a failure even though it holds no counted test.
const failedSuites = (report.testResults ?? []).filter((r) => r.status === "failed" && (r.assertionResults ?? []).length === 0).length;
const failed = (report.numFailedTests ?? 0) + failedSuites;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
