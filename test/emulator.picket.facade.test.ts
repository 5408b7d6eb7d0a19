// The Picket facade against the emulator: a whole session (nonce → sign → auth → validate →
// authz) through `emulator.fetch`, and once more through `listen()` on a real local port.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPicketEmulator } from "../src/emulator/picket.js";
import { manualClock, type Listening } from "../src/emulator/serve.js";
import { createSigningMessage, Picket, PicketError } from "../src/picket/index.js";
import { evmWallet, solanaWallet } from "./support/picket-emulator.js";
import { rejection } from "./support/rejection.js";
import { expectNoSecret } from "./support/secrets.js";

const NFT = "0xa3305F188cb610900F9E347FaE886dC6507795ec";
const ERC20 = "0x745c4C3Fcb2EB2C73e14934c867ee057BA72499B";

describe("Picket facade → emulator.fetch", () => {
  const clock = manualClock();
  const emulator = createPicketEmulator({ now: clock.now, format: "siwe", statement: "Sign in to Example App" });
  const picket = new Picket(emulator.secretKeys[0], { baseURL: "http://127.0.0.1/api/v1", fetch: (request) => emulator.fetch(request), maxRetries: 0 });

  test("nonce → sign → auth → validate → authz → validate, with requirements met at each step", async () => {
    const wallet = evmWallet();
    emulator.setBalance("ethereum", wallet.address, "contractAddress", NFT, 1);
    const ethereum = await picket.chainInfo("ethereum");
    const { nonce, statement, format } = await picket.nonce({ walletAddress: wallet.address });
    expect({ statement, format }).toEqual({ statement: "Sign in to Example App", format: "siwe" });
    const context = {
      domain: "app.example.com",
      uri: "https://app.example.com",
      chainId: ethereum.chainId!,
      issuedAt: new Date(clock.now()).toISOString(),
      chainType: ethereum.chainType,
    };
    const signature = await wallet.sign(createSigningMessage({ format: format!, statement, walletAddress: wallet.address, nonce, ...context }));

    const login = await picket.auth({ walletAddress: wallet.address, signature, context, requirements: { contractAddress: NFT } });
    expect(login.user).toEqual({
      chain: "ethereum",
      walletAddress: wallet.address,
      displayAddress: wallet.address,
      tokenBalances: { contractAddress: { [NFT]: "1" } },
    });

    const claims = await picket.validate(login.accessToken, { contractAddress: NFT, minTokenBalance: 1 });
    expect(claims).toMatchObject({ ...login.user, aud: emulator.projectId, sub: `ethereum:${wallet.address}` });
    expect(claims.exp - claims.iat).toBe(12 * 3600);

    emulator.setBalance("ethereum", wallet.address, "contractAddress", ERC20, "1500.5");
    clock.advance(60_000);
    const upgraded = await picket.authz({ accessToken: login.accessToken, requirements: { contractAddress: ERC20, minTokenBalance: "1000" } });
    expect(upgraded.user.tokenBalances).toEqual({ contractAddress: { [NFT]: "1", [ERC20]: "1500.5" } });
    const newClaims = await picket.validate(upgraded.accessToken, { contractAddress: ERC20, minTokenBalance: 1500 });
    expect(newClaims.iat).toBe(claims.iat + 60);
    expect(emulator.tokens.map((token) => token.via)).toEqual(["auth", "authz"]);
  });

  test("failures reach the caller as PicketError with the emulator's status, code and msg", async () => {
    const wallet = solanaWallet();
    const { nonce, statement, format } = await picket.nonce({ chain: "solana", walletAddress: wallet.address });
    const context = {
      domain: "app.example.com",
      uri: "https://app.example.com",
      chainId: 1,
      issuedAt: new Date(clock.now()).toISOString(),
      chainType: "solana" as const,
    };
    const signature = await wallet.sign(createSigningMessage({ format: format!, statement, walletAddress: wallet.address, nonce, ...context }));
    const badSignature = await rejection(
      PicketError,
      picket.auth({ chain: "solana", walletAddress: wallet.address, signature: signature.slice(0, -1) + (signature.endsWith("2") ? "3" : "2"), context }),
    );
    expect(badSignature).toMatchObject({ status: 400, code: "parameter_invalid", message: expect.stringMatching(/^invalid signature/) });

    const { accessToken } = await picket.auth({ chain: "solana", walletAddress: wallet.address, signature, context });
    const gated = await rejection(PicketError, picket.authz({ accessToken, requirements: { tokenIds: ["7nwVaNCQrcprmapkeVvcFhWUDJ8kpKfbUupVRMVNre5M"] } }));
    expect(gated).toMatchObject({ status: 403, code: "permission_denied" });
    clock.advance(12 * 3600 * 1000);
    const expired = await rejection(PicketError, picket.validate(accessToken));
    expect(expired).toMatchObject({ status: 401, code: null, message: "access token expired" });
    const unknown = await rejection(PicketError, picket.chainInfo("fantom"));
    expect(unknown).toMatchObject({ status: 404, code: "resource_not_found" });
  });

  test("chains() and tokenOwnership() read the emulator's chain table and ledger", async () => {
    const chains = await picket.chains();
    expect(chains.map((chain) => chain.chainSlug)).toContain("avalanche");
    const wallet = evmWallet("polygon");
    emulator.setBalance("polygon", wallet.address, "contractAddress", NFT, 2);
    expect(
      await picket.tokenOwnership({ chain: "polygon", walletAddress: wallet.address, requirements: { contractAddress: NFT, minTokenBalance: 2 } }),
    ).toEqual({ allowed: true, tokenBalances: { contractAddress: { [NFT]: "2" } } });
    expect((await picket.tokenOwnership({ chain: "ethereum", walletAddress: wallet.address, contractAddress: NFT })).allowed).toBe(false);
  });

  test("tokenOwnership() without a chain judges the wallet's Ethereum holdings, as picket-node does", async () => {
    const wallet = evmWallet();
    emulator.setBalance("polygon", wallet.address, "contractAddress", NFT, 1);
    expect((await picket.tokenOwnership({ walletAddress: wallet.address, contractAddress: NFT })).allowed).toBe(false);
    emulator.setBalance("ethereum", wallet.address, "contractAddress", NFT, 3);
    expect(await picket.tokenOwnership({ walletAddress: wallet.address, contractAddress: NFT, minTokenBalance: 3 })).toEqual({
      allowed: true,
      tokenBalances: { contractAddress: { [NFT]: "3" } },
    });
  });

  test("a key the project does not have: the server's 401 api_key_invalid, and the key shows nowhere", async () => {
    const wrong = `sk_${"0".repeat(32)}`;
    const stranger = new Picket(wrong, { baseURL: "http://127.0.0.1/api/v1", fetch: (request) => emulator.fetch(request), maxRetries: 0 });
    const error = await rejection(PicketError, stranger.chains());
    expect(error).toMatchObject({ status: 401, code: "api_key_invalid", message: expect.stringContaining("invalid project key") });
    expectNoSecret(error, [wrong, btoa(`${wrong}:`), emulator.secretKeys[0]!]);
    expectNoSecret(stranger, [wrong, btoa(`${wrong}:`)]);
  });
});

describe("Picket facade → emulator.listen() on a real port", () => {
  const emulator = createPicketEmulator();
  let listening: Listening;
  beforeAll(async () => {
    listening = await emulator.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => listening.close());

  test("serves under /api/v1 of a free port on 127.0.0.1, and a whole login goes over the socket", async () => {
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(listening.url).toBe(`${listening.origin}/api/v1`);
    const picket = new Picket(emulator.publishableKeys[0], { baseURL: listening.url });
    const wallet = evmWallet("arbitrum");
    const { nonce, statement, format } = await picket.nonce({ chain: "arbitrum", walletAddress: wallet.address });
    const signature = await wallet.sign(createSigningMessage({ format: format!, statement, walletAddress: wallet.address, nonce }));
    const { accessToken, user } = await picket.auth({ chain: "arbitrum", walletAddress: wallet.address, signature });
    expect(user.chain).toBe("arbitrum");
    expect((await picket.validate(accessToken)).sub).toBe(`arbitrum:${wallet.address}`);
    const outside = await fetch(`${listening.origin}/`);
    expect(outside.status).toBe(404);
    expect(await outside.json()).toMatchObject({ code: "resource_not_found" });
  });
});
