// Error codes are types: the package raises only codes its unions declare, and names them
// through the code objects, never as bare strings outside the files that define them.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, expectTypeOf, test } from "vitest";
import { CoreCode, type CoreErrorCode } from "../src/core/errors.js";
import { PicketCode, picketErrors, type PicketError, type PicketErrorCode } from "../src/picket/errors.js";
import { PuidCode, puidErrors, type PuidError, type PuidErrorCode } from "../src/puid/errors.js";

describe("error codes", () => {
  test("a code outside an API's union does not compile where the package raises one", () => {
    // Each line below is a compile error (tsc checks the test files); were one to compile, the
    // unused @ts-expect-error would fail the typecheck.
    // @ts-expect-error -- not a PUID code
    puidErrors.make({ status: null, code: "made_up_code", message: "x" });
    // @ts-expect-error -- a Picket code is not a PUID one
    puidErrors.make({ status: null, code: "parameter_invalid", message: "x" });
    // @ts-expect-error -- a PUID code is not a Picket one
    picketErrors.make({ status: null, code: "invalid_count", message: "x" });
    expect(puidErrors.make({ status: null, code: PuidCode.invalidCount, message: "x" }).code).toBe("invalid_count");
  });

  test("error.code lists the known codes and still takes a code a server adds later", () => {
    expectTypeOf<"rate_limited">().toMatchTypeOf<NonNullable<PuidError["code"]>>();
    expectTypeOf<"a_code_added_later">().toMatchTypeOf<NonNullable<PuidError["code"]>>();
    expectTypeOf<"api_key_invalid">().toMatchTypeOf<NonNullable<PicketError["code"]>>();
    expectTypeOf<CoreErrorCode>().toMatchTypeOf<PuidErrorCode>();
    expectTypeOf<CoreErrorCode>().toMatchTypeOf<PicketErrorCode>();
  });

  test("no code means two things: an API's codes never repeat a shared one", () => {
    for (const codes of [PuidCode, PicketCode]) {
      const byValue = new Map<string, string>();
      for (const [name, value] of [...Object.entries(CoreCode), ...Object.entries(codes)]) {
        expect(byValue.get(value), `${name} and ${byValue.get(value)} are both ${value}`).toBeUndefined();
        byValue.set(value, name);
      }
    }
  });

  test("no code is written as a bare string in the package's code, outside the files that define the unions", () => {
    const root = path.resolve(import.meta.dirname, "../src");
    const defining = new Set(["core/errors.ts", "puid/errors.ts", "picket/errors.ts"]);
    const known = new Set<string>([...Object.values(CoreCode), ...Object.values(PuidCode), ...Object.values(PicketCode)]);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        const relative = path.relative(root, full).split(path.sep).join("/");
        if (entry.isDirectory()) {
          if (relative !== "generated" && relative !== "emulator") walk(full);
        } else if (entry.name.endsWith(".ts") && !defining.has(relative)) {
          for (const match of fs.readFileSync(full, "utf8").matchAll(/\bcode\s*(?::|===|!==)\s*"([a-z_]+)"/g)) {
            if (known.has(match[1] as never)) offenders.push(`${relative}: ${match[0]}`);
          }
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
