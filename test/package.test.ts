// The package as users import it: by name, through the `exports` map, from the built files.
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, test } from "vitest";

beforeAll(() => {
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "pipe" });
}, 120_000);

/** Import `specifier` in a fresh Node process (the package refers to itself by name) and list its exports. */
function exportsOf(specifier: string): string[] {
  const script = `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

describe("entries", () => {
  test("picket-puid/puid", () => {
    expect(exportsOf("picket-puid/puid")).toEqual(expect.arrayContaining(["Puid", "PuidError", "PicketPuidError", "createPuidClient", "PUID_ENDPOINT"]));
    expect(exportsOf("picket-puid/puid")).not.toContain("Picket");
  });

  test("picket-puid/picket", () => {
    expect(exportsOf("picket-puid/picket")).toEqual(expect.arrayContaining(["Picket", "PicketError", "PicketPuidError", "createPicketClient", "createSigningMessage"]));
    expect(exportsOf("picket-puid/picket")).not.toContain("Puid");
  });

  test("picket-puid", () => {
    expect(exportsOf("picket-puid")).toEqual(expect.arrayContaining(["Puid", "Picket", "PuidError", "PicketError", "PicketPuidError", "VERSION"]));
  });
});
