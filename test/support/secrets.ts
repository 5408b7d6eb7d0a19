import util from "node:util";
import { expect } from "vitest";

/** Every way a value gets rendered into a log or a message, as the tests check them. */
export function renderings(value: unknown): string[] {
  const error = value as Error;
  return [
    String(value),
    JSON.stringify(value) ?? "",
    util.inspect(value, { depth: 10, showHidden: true }),
    util.format("%o", value),
    ...(value instanceof Error ? [error.message, error.stack ?? ""] : []),
  ];
}

/** Assert that no rendering of `value` contains any of `secrets`. */
export function expectNoSecret(value: unknown, secrets: string[]): void {
  for (const text of renderings(value)) {
    for (const secret of secrets) expect(text, "a secret leaked into a rendering").not.toContain(secret);
  }
}
