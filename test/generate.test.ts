import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { render, targets } from "../scripts/generate.mjs";
import { VERSION } from "../src/version.js";

describe("generated sources", () => {
  for (const { document, output } of targets) {
    test(`${output} is what ${document} produces`, async () => {
      expect(fs.readFileSync(output, "utf8")).toBe(await render(document));
    });
  }

  test("VERSION matches package.json", () => {
    expect(VERSION).toBe(JSON.parse(fs.readFileSync("package.json", "utf8")).version);
  });
});
