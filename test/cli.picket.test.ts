// picket-puid picket … as a real process against the Picket emulator on a real local port. What
// each command prints is checked against what the facade gets from the same emulator.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPicketEmulator, type PicketEmulator } from "../src/emulator/picket.js";
import type { Listening } from "../src/emulator/serve.js";
import { createSigningMessage, Picket } from "../src/picket/index.js";
import { buildCli, lines, type Cli } from "./support/cli.js";
import { evmWallet, solanaWallet } from "./support/picket-emulator.js";

const NFT = "0xa3305F188cb610900F9E347FaE886dC6507795ec";
const COLLECTION_A = "G4AWZtqrRnHJnrFom49ujtvJ3Rvup2iiFBwpABh95TSk";
const COLLECTION_B = "J1S9H3QjnRtBbbuD4HjPV6RpRhwuk4zKbxsnCHuTgh9w";

let cli: Cli;
let emulator: PicketEmulator;
let server: Listening;
let picket: Picket;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = createPicketEmulator({ statement: "Sign in to the CLI test" });
  [cli, server] = await Promise.all([buildCli(), emulator.listen()]);
  picket = new Picket(emulator.secretKeys[0], { baseURL: server.url });
  env = { PICKET_BASE_URL: server.url, PICKET_SECRET_KEY: emulator.secretKeys[0]! };
});
afterAll(async () => {
  cli?.remove();
  await server?.close();
});

/** A wallet logged in through the facade: its access token. */
async function login() {
  const wallet = evmWallet();
  const { nonce, statement, format } = await picket.nonce({ walletAddress: wallet.address });
  const signature = await wallet.sign(createSigningMessage({ format, statement, walletAddress: wallet.address, nonce }));
  const { accessToken } = await picket.auth({ walletAddress: wallet.address, signature });
  return { wallet, accessToken };
}

describe.concurrent("picket commands: human output, and --json the facade's result", () => {
  test("chains: a table of slug, id, type, name and gating; --json: the list", async () => {
    const chains = await picket.chains();
    const { code, stdout, stderr } = await cli.run(["picket", "chains"], { env });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const [header, ...rows] = lines(stdout);
    expect(header).toMatch(/^SLUG +ID +TYPE +NAME +GATING$/);
    expect(rows.map((row) => row.split(/ {2,}/)[0])).toEqual(chains.map(({ chainSlug }) => chainSlug));
    expect(rows.find((row) => row.startsWith("ethereum "))).toMatch(/^ethereum +1 +ethereum +Ethereum +yes$/);
    expect(rows.find((row) => row.startsWith("solana "))).toMatch(/^solana +- +solana +Solana +yes$/);
    expect(JSON.parse((await cli.run(["picket", "chains", "--json"], { env })).stdout)).toEqual(chains);
  });

  test("chain <slug>: its fields, aligned; --json: the object", async () => {
    const polygon = await picket.chainInfo("polygon");
    const { code, stdout } = await cli.run(["picket", "chain", "polygon"], { env });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^chainSlug +polygon$/m);
    expect(stdout).toMatch(/^chainId +137$/m);
    expect(new Set(lines(stdout).map((line) => line.match(/^\S+ +/)![0].length)).size).toBe(1); // the values in one column
    expect(JSON.parse((await cli.run(["picket", "chain", "polygon", "--json"], { env })).stdout)).toEqual(polygon);
  });

  test("nonce <wallet>: nonce, statement, format; --chain reaches the API, --locale is sent along; --json: the answer", async () => {
    const wallet = solanaWallet();
    const { code, stdout } = await cli.run(["picket", "nonce", wallet.address, "--chain", "solana", "--locale", "de"], { env });
    expect(code).toBe(0);
    const issued = emulator.nonces.find((record) => record.walletAddress === wallet.address)!;
    expect(issued.chain).toBe("solana");
    expect(stdout).toBe(`nonce      ${issued.nonce}\nstatement  Sign in to the CLI test\nformat     simple\n`);
    const asJson = JSON.parse((await cli.run(["picket", "nonce", wallet.address, "--chain", "solana", "--json"], { env })).stdout);
    expect(asJson).toEqual({ nonce: issued.nonce, statement: "Sign in to the CLI test", format: "simple" }); // the same nonce while it lives
  });

  test("validate <token> and validate - (the token from stdin): the claims; --json: the claims object", async () => {
    const { wallet, accessToken } = await login();
    const claims = await picket.validate(accessToken);
    const human = await cli.run(["picket", "validate", accessToken], { env });
    expect({ code: human.code, stderr: human.stderr }).toEqual({ code: 0, stderr: "" });
    expect(human.stdout).toMatch(new RegExp(`^walletAddress +${wallet.address}$`, "m"));
    expect(human.stdout).toMatch(new RegExp(`^exp +${claims.exp} \\(${new Date(claims.exp * 1000).toISOString()}\\)$`, "m"));
    expect(human.stdout).not.toContain(accessToken);
    const piped = await cli.run(["picket", "validate", "-", "--json"], { env, input: `${accessToken}\n` });
    expect(JSON.parse(piped.stdout)).toEqual(claims);
  });

  test("owns: allowed yes with the balances found, or no; --json: the answer", async () => {
    const holder = evmWallet();
    emulator.setBalance("ethereum", holder.address, "contractAddress", NFT, 2);
    const yes = await cli.run(["picket", "owns", holder.address, "--contract", NFT, "--min", "2"], { env });
    expect(yes).toMatchObject({ code: 0, stderr: "" });
    expect(yes.stdout).toMatch(new RegExp(`^allowed +yes\\ncontractAddress ${NFT} +2\\n$`));
    const no = await cli.run(["picket", "owns", holder.address, "--contract", NFT, "--min", "3", "--json"], { env });
    expect({ code: no.code, answer: JSON.parse(no.stdout) }).toEqual({
      code: 0,
      answer: await picket.tokenOwnership({ walletAddress: holder.address, contractAddress: NFT, minTokenBalance: "3" }),
    });
    expect(JSON.parse(no.stdout).allowed).toBe(false);
  });

  test("owns on Solana: repeated --collection flags are one requirement with two collections; --allowed lets a wallet in", async () => {
    const holder = solanaWallet();
    emulator.setBalance("solana", holder.address, "collection", COLLECTION_B, 1);
    const byCollection = await cli.run(
      ["picket", "owns", holder.address, "--chain", "solana", "--collection", COLLECTION_A, "--collection", COLLECTION_B, "--json"],
      { env },
    );
    expect(JSON.parse(byCollection.stdout)).toMatchObject({ allowed: true, tokenBalances: { collection: { [COLLECTION_B]: "1" } } });
    const outsider = evmWallet();
    const allowed = await cli.run(["picket", "owns", outsider.address, "--contract", NFT, "--allowed", outsider.address], { env });
    expect(lines(allowed.stdout)[0]).toMatch(/^allowed +yes$/);
  });
});

describe.concurrent("API errors: exit 1 with the code, the message and the status", () => {
  test("a wrong secret key: error api_key_invalid … (HTTP 401), the key not repeated", async () => {
    const { code, stdout, stderr } = await cli.run(["picket", "chains"], { env: { ...env, PICKET_SECRET_KEY: "sk_wrong_0123456789abcdef" } });
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(/^error api_key_invalid: .+ \(HTTP 401\)\n$/);
    expect(stderr).not.toContain("sk_wrong_0123456789abcdef");
  });

  test("an unknown chain: error resource_not_found … (HTTP 404)", async () => {
    const { code, stderr } = await cli.run(["picket", "chain", "fantom"], { env });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error resource_not_found: .+ \(HTTP 404\)\n$/);
  });

  test("a token the emulator did not issue: the message and the status, and no code when the server sends none", async () => {
    const { code, stderr } = await cli.run(["picket", "validate", "not.a.token"], { env });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error(?: [a-z_]+)?: .+ \(HTTP 4\d\d\)\n$/);
    expect(stderr).not.toContain("not.a.token");
  });
});
