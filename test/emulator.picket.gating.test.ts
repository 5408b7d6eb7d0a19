// Access tokens and token gating on the Picket emulator: the JWT and its claims, expiry by the
// emulator's clock, validate / authz / tokenOwnership against the ledger, OR semantics and exact
// minTokenBalance arithmetic.
import fc from "fast-check";
import { decodeProtectedHeader, importJWK, jwtVerify, SignJWT, generateKeyPair } from "jose";
import { describe, expect, test } from "vitest";
import { createPicketEmulator, type PicketEmulator } from "../src/emulator/picket.js";
import { manualClock } from "../src/emulator/serve.js";
import { call, evmWallet, flowWallet, signIn, solanaWallet } from "./support/picket-emulator.js";

const NFT = "0xa3305F188cb610900F9E347FaE886dC6507795ec";
const ERC20 = "0x745c4C3Fcb2EB2C73e14934c867ee057BA72499B";
const MINT_A = "7nwVaNCQrcprmapkeVvcFhWUDJ8kpKfbUupVRMVNre5M";
const MINT_B = "4yN93NV3a9AwBv1tcHNUjh3HArSni65bM2LcDXyoc2Nv";
const COLLECTION = "G4AWZtqrRnHJnrFom49ujtvJ3Rvup2iiFBwpABh95TSk";
const CREATOR = "Qi8vXWVr8843mdyWKF99fkRhetHf5smjCcoDt9yNTrq";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("Picket emulator: access tokens (§5.4, §7.2)", () => {
  test("a login's token is an ES256 JWT with every documented claim, verifiable with the emulator's public key", async () => {
    const clock = manualClock(Date.UTC(2026, 11, 1, 12));
    const emulator = createPicketEmulator({ now: clock.now });
    const wallet = evmWallet();
    const { body } = await signIn(emulator, wallet);
    expect(decodeProtectedHeader(body.accessToken)).toEqual({ alg: "ES256", typ: "JWT" });
    const key = await importJWK(await emulator.publicJwk(), "ES256");
    const { payload } = await jwtVerify(body.accessToken, key, { currentDate: new Date(clock.now()), audience: emulator.projectId, issuer: "picketapi.com" });
    const iat = Date.UTC(2026, 11, 1, 12) / 1000;
    expect(payload).toEqual({
      chain: "ethereum",
      walletAddress: wallet.address,
      displayAddress: wallet.address,
      tokenBalances: {},
      iat,
      exp: iat + 12 * 3600,
      iss: "picketapi.com",
      sub: `ethereum:${wallet.address}`,
      aud: emulator.projectId,
      tid: expect.stringMatching(UUID),
      ver: 1,
    });
    expect(emulator.tokens).toEqual([
      { tid: payload.tid, via: "auth", chain: "ethereum", walletAddress: wallet.address, iat, exp: iat + 43_200, tokenBalances: {} },
    ]);
  });

  test("validate answers the claims until exp, then 401 'access token expired' without a code", async () => {
    const clock = manualClock();
    const emulator = createPicketEmulator({ now: clock.now });
    const { body } = await signIn(emulator, solanaWallet());
    clock.advance(12 * 3600 * 1000 - 1000);
    const valid = await call(emulator, "POST", "/auth/validate", { body: { accessToken: body.accessToken } });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ ...body.user, exp: valid.body.iat + 43_200 });
    clock.advance(1000);
    const expired = await call(emulator, "POST", "/auth/validate", { body: { accessToken: body.accessToken } });
    expect(expired).toEqual({ status: 401, body: { msg: "access token expired" }, headers: expect.anything() });
    expect((await call(emulator, "POST", "/authz", { body: { accessToken: body.accessToken, requirements: {} } })).status).toBe(401);
  });

  test("tokenTtlSeconds sets the lifetime", async () => {
    const clock = manualClock();
    const emulator = createPicketEmulator({ now: clock.now, tokenTtlSeconds: 60 });
    const { body } = await signIn(emulator, evmWallet());
    clock.advance(60_000);
    expect((await call(emulator, "POST", "/auth/validate", { body: { accessToken: body.accessToken } })).body.msg).toBe("access token expired");
  });

  test("a token from another emulator, one signed by another key, or garbage is 401 'invalid access token'", async () => {
    const emulator = createPicketEmulator();
    const other = createPicketEmulator();
    const foreign = (await signIn(other, evmWallet())).body.accessToken;
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({ chain: "ethereum", walletAddress: "0x52F22665A60C12D289185D950Ee8813609166f6B", tid: crypto.randomUUID() })
      .setProtectedHeader({ alg: "ES256", typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .setIssuer("picketapi.com")
      .setSubject("ethereum:0x52F2")
      .setAudience(emulator.projectId)
      .sign(privateKey);
    for (const accessToken of [foreign, forged, "not.a.jwt", "eyJhbGciOiJub25lIn0.eyJjaGFpbiI6ImV0aGVyZXVtIn0."]) {
      const answer = await call(emulator, "POST", "/auth/validate", { body: { accessToken } });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ msg: expect.stringMatching(/^invalid access token/) });
    }
  });

  test("validate and authz without accessToken are 400 parameter_invalid", async () => {
    const emulator = createPicketEmulator();
    for (const path of ["/auth/validate", "/authz"]) {
      expect(await call(emulator, "POST", path, { body: { requirements: {} } })).toMatchObject({
        status: 400,
        body: { code: "parameter_invalid", msg: "accessToken is required" },
      });
    }
  });
});

describe("Picket emulator: requirements on auth (§5.1)", () => {
  test("met requirements put the balances looked at in user.tokenBalances and the token; unmet ones are 403 and keep the nonce", async () => {
    const emulator = createPicketEmulator();
    const wallet = evmWallet();
    const requirements = { contractAddress: NFT, minTokenBalance: "2" };
    emulator.setBalance("ethereum", wallet.address, "contractAddress", NFT, 1);
    const refused = await signIn(emulator, wallet, { requirements });
    expect(refused).toMatchObject({ status: 403, body: { code: "permission_denied", msg: "wallet does not meet the token requirements" } });
    expect(emulator.nonces[0]!.consumedAt).toBeNull();
    emulator.setBalance("ethereum", wallet.address, "contractAddress", NFT.toLowerCase(), "3");
    const allowed = await signIn(emulator, wallet, { requirements });
    expect(allowed.status).toBe(200);
    expect(allowed.body.user.tokenBalances).toEqual({ contractAddress: { [NFT]: "3" } });
    expect((await call(emulator, "POST", "/auth/validate", { body: { accessToken: allowed.body.accessToken } })).body.tokenBalances).toEqual({
      contractAddress: { [NFT]: "3" },
    });
  });

  test("requirements are an OR: the allow-list lets a wallet in without tokens, tokens without the allow-list", async () => {
    const emulator = createPicketEmulator();
    const [listed, holder, neither] = [evmWallet(), evmWallet(), evmWallet()];
    emulator.setBalance("ethereum", holder.address, "contractAddress", NFT, 1);
    const requirements = { contractAddress: NFT, allowedWallets: [listed.address.toLowerCase()] };
    expect((await signIn(emulator, listed, { requirements })).body.user.tokenBalances).toEqual({ contractAddress: { [NFT]: "0" } });
    expect((await signIn(emulator, holder, { requirements })).status).toBe(200);
    const refused = await signIn(emulator, neither, { requirements });
    expect(refused).toMatchObject({ status: 403, body: { msg: expect.stringContaining("allowed wallet addresses") } });
    const onlyList = await signIn(emulator, neither, { requirements: { allowedWallets: [listed.address] } });
    expect(onlyList.body).toEqual({ code: "permission_denied", msg: "wallet is not in the list of allowed wallet addresses" });
  });

  test("Solana: tokenIds sum over the mints, collection takes one or several, creatorAddress one", async () => {
    const wallet = solanaWallet();
    const emulator = createPicketEmulator({
      ledger: { solana: { [wallet.address]: { tokenIds: { [MINT_A]: "1" }, collection: { [COLLECTION]: 2 }, creatorAddress: { [CREATOR]: 1n } } } },
    });
    const ok = await signIn(emulator, wallet, { requirements: { tokenIds: [MINT_A, MINT_B], minTokenBalance: 1 } });
    expect(ok.body.user.tokenBalances).toEqual({ tokenIds: { [MINT_A]: "1", [MINT_B]: "0" } });
    expect((await signIn(emulator, wallet, { requirements: { tokenIds: [MINT_A, MINT_B], minTokenBalance: 2 } })).status).toBe(403);
    expect((await signIn(emulator, wallet, { requirements: { collection: COLLECTION, minTokenBalance: "2" } })).status).toBe(200);
    expect((await signIn(emulator, wallet, { requirements: { collection: [COLLECTION, MINT_B], minTokenBalance: "2" } })).body.user.tokenBalances).toEqual({
      collection: { [COLLECTION]: "2", [MINT_B]: "0" },
    });
    expect((await signIn(emulator, wallet, { requirements: { creatorAddress: CREATOR } })).status).toBe(200);
    // Base58 is case-sensitive: another spelling is another mint.
    expect((await signIn(emulator, wallet, { requirements: { tokenIds: [MINT_A.toLowerCase()] } })).status).toBe(403);
  });

  test("Flow has no token gating: requirements are 400 with the 'token gating' text picket-js matches", async () => {
    const wallet = flowWallet();
    const emulator = createPicketEmulator({ flowAccounts: { [wallet.address]: [wallet.key] } });
    const answer = await signIn(emulator, wallet, { requirements: { allowedWallets: [wallet.address] } });
    expect(answer).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: "token gating is not supported on flow" } });
  });

  test.each([
    ["allowedWallets that is not an array", { allowedWallets: "0x52F2" }, "allowedWallets must be an array"],
    ["tokenIds that is a string", { tokenIds: MINT_A }, "tokenIds must be an array"],
    ["contractAddress that is a list", { contractAddress: [NFT] }, "contractAddress must be a string"],
    ["a negative minTokenBalance", { contractAddress: NFT, minTokenBalance: "-1" }, "minTokenBalance"],
    ["a minTokenBalance in words", { contractAddress: NFT, minTokenBalance: "one" }, "minTokenBalance"],
    ["minTokenBalance alone", { minTokenBalance: "1" }, "minTokenBalance needs a requirement"],
    ["picket-go's token_ids", { token_ids: [MINT_A] }, "token_ids"],
    ["requirements that are not an object", ["contractAddress"], "requirements must be an object"],
  ])("%s is 400 parameter_invalid", async (_, requirements, text) => {
    const emulator = createPicketEmulator();
    const answer = await signIn(emulator, evmWallet(), { requirements });
    expect(answer).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: expect.stringContaining(text) } });
  });
});

describe("Picket emulator: minTokenBalance is compared exactly (§5.1)", () => {
  const wallet = "0x52F22665A60C12D289185D950Ee8813609166f6B";
  const owns = async (emulator: PicketEmulator, minTokenBalance?: string | number) =>
    (
      await call(emulator, "POST", `/chains/ethereum/wallets/${wallet}/tokenOwnership`, {
        body: minTokenBalance === undefined ? { contractAddress: ERC20 } : { contractAddress: ERC20, minTokenBalance },
      })
    ).body.allowed;

  test.each([
    ["0", undefined, false],
    ["0", "0", false],
    ["0", 0, false],
    ["1", undefined, true],
    ["0.000001", undefined, true],
    ["0.000001", "0", true],
    ["100", 100, true],
    ["100", "100.0", true],
    ["99.999999999999999999", "100", false],
    ["9007199254740993", "9007199254740992", true],
    ["9007199254740992", "9007199254740993", false],
    ["1000000000000000000", "1e18", true],
    ["0.3", 0.3, true],
  ])("balance %s, minTokenBalance %s: allowed is %s", async (balance, min, allowed) => {
    const emulator = createPicketEmulator();
    emulator.setBalance("ethereum", wallet, "contractAddress", ERC20, balance);
    expect(await owns(emulator, min)).toBe(allowed);
  });

  test("decimal balances add without float error: 0.1 + 0.2 meets 0.3", async () => {
    const owner = solanaWallet().address;
    const emulator = createPicketEmulator({ ledger: { solana: { [owner]: { tokenIds: { [MINT_A]: "0.1", [MINT_B]: "0.2" } } } } });
    const answer = await call(emulator, "POST", `/chains/solana/wallets/${owner}/tokenOwnership`, {
      body: { tokenIds: [MINT_A, MINT_B], minTokenBalance: "0.3" },
    });
    expect(answer.body).toEqual({ allowed: true, tokenBalances: { tokenIds: { [MINT_A]: "0.1", [MINT_B]: "0.2" } } });
  });

  test("property: allowed exactly when the balance reaches the minimum (or is positive with no minimum)", async () => {
    const emulator = createPicketEmulator();
    const decimal = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }));
    const text = ([units, scale]: [bigint, number]) => {
      const digits = units.toString().padStart(scale + 1, "0");
      return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    };
    // The oracle: both values over a common scale of 10^18, compared as bigints.
    const scaled = ([units, scale]: [bigint, number]) => units * 10n ** BigInt(18 - scale);
    await fc.assert(
      fc.asyncProperty(decimal, decimal, async (balance, min) => {
        emulator.setBalance("ethereum", wallet, "contractAddress", ERC20, text(balance));
        const expected = scaled(min) === 0n ? scaled(balance) > 0n : scaled(balance) >= scaled(min);
        expect(await owns(emulator, text(min))).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe("Picket emulator: validate and authz with requirements (§4.3, §4.4)", () => {
  async function loggedIn(requirements?: unknown) {
    const emulator = createPicketEmulator();
    const wallet = evmWallet();
    emulator.setBalance("ethereum", wallet.address, "contractAddress", NFT, 3);
    const { body } = await signIn(emulator, wallet, requirements === undefined ? {} : { requirements });
    return { emulator, wallet, accessToken: body.accessToken as string };
  }

  test("validate judges the balances the token proves, not the ledger: authz is what reads the chain again", async () => {
    const { emulator, wallet, accessToken } = await loggedIn({ contractAddress: NFT });
    const met = await call(emulator, "POST", "/auth/validate", {
      body: { accessToken, requirements: { contractAddress: NFT.toLowerCase(), minTokenBalance: "3" } },
    });
    expect(met).toMatchObject({ status: 200, body: { walletAddress: wallet.address, tokenBalances: { contractAddress: { [NFT]: "3" } } } });
    expect((await call(emulator, "POST", "/auth/validate", { body: { accessToken, requirements: { contractAddress: NFT, minTokenBalance: 4 } } })).status).toBe(
      403,
    );
    emulator.setBalance("ethereum", wallet.address, "contractAddress", ERC20, 500);
    const unproven = await call(emulator, "POST", "/auth/validate", { body: { accessToken, requirements: { contractAddress: ERC20 } } });
    expect(unproven).toMatchObject({ status: 403, body: { code: "permission_denied" } });
    const listed = await call(emulator, "POST", "/auth/validate", { body: { accessToken, requirements: { allowedWallets: [wallet.address] } } });
    expect(listed.status).toBe(200);
  });

  test("authz proves new requirements from the ledger and answers a new token with the balances merged", async () => {
    const { emulator, wallet, accessToken } = await loggedIn({ contractAddress: NFT });
    emulator.setBalance("ethereum", wallet.address, "contractAddress", ERC20, "250");
    const answer = await call(emulator, "POST", "/authz", {
      body: { accessToken, requirements: { contractAddress: ERC20, minTokenBalance: "100" }, revalidate: true },
    });
    expect(answer.status).toBe(200);
    const merged = { contractAddress: { [NFT]: "3", [ERC20]: "250" } };
    expect(answer.body.user).toEqual({ chain: "ethereum", walletAddress: wallet.address, displayAddress: wallet.address, tokenBalances: merged });
    expect(answer.body.accessToken).not.toBe(accessToken);
    const claims = (
      await call(emulator, "POST", "/auth/validate", {
        body: { accessToken: answer.body.accessToken, requirements: { contractAddress: ERC20, minTokenBalance: 250 } },
      })
    ).body;
    expect(claims.tokenBalances).toEqual(merged);
    const [first, second] = emulator.tokens;
    expect(second).toMatchObject({ via: "authz", tokenBalances: merged });
    expect(second!.tid).not.toBe(first!.tid);
  });

  test("authz refuses unmet requirements with 403, takes revalidate false, and refuses a revalidate that is not a boolean", async () => {
    const { emulator, accessToken } = await loggedIn();
    expect((await call(emulator, "POST", "/authz", { body: { accessToken, requirements: { contractAddress: ERC20 }, revalidate: false } })).body.code).toBe(
      "permission_denied",
    );
    expect((await call(emulator, "POST", "/authz", { body: { accessToken, requirements: { contractAddress: NFT }, revalidate: false } })).status).toBe(200);
    expect((await call(emulator, "POST", "/authz", { body: { accessToken, requirements: { contractAddress: NFT }, revalidate: "yes" } })).body).toEqual({
      code: "parameter_invalid",
      msg: "revalidate must be a boolean",
    });
  });

  test("authz with empty requirements (picket-go's zero value) proves nothing new and answers a fresh token", async () => {
    const { emulator, accessToken } = await loggedIn({ contractAddress: NFT });
    const answer = await call(emulator, "POST", "/authz", { body: { accessToken, requirements: {}, revalidate: false } });
    expect(answer.status).toBe(200);
    expect(answer.body.user.tokenBalances).toEqual({ contractAddress: { [NFT]: "3" } });
  });
});

describe("Picket emulator: tokenOwnership (§4.5)", () => {
  const wallet = "0x52F22665A60C12D289185D950Ee8813609166f6B";
  const path = `/chains/ethereum/wallets/${wallet}/tokenOwnership`;
  const emulator = createPicketEmulator({ ledger: { ethereum: { [wallet]: { contractAddress: { [NFT]: "3" } } } } });

  test("flat requirement fields answer allowed and every balance looked at", async () => {
    expect((await call(emulator, "POST", path, { body: { contractAddress: NFT, minTokenBalance: "1" } })).body).toEqual({
      allowed: true,
      tokenBalances: { contractAddress: { [NFT]: "3" } },
    });
    expect((await call(emulator, "POST", path, { body: { contractAddress: ERC20 } })).body).toEqual({
      allowed: false,
      tokenBalances: { contractAddress: { [ERC20]: "0" } },
    });
    expect((await call(emulator, "POST", path, { body: { contractAddress: ERC20, allowedWallets: [wallet] } })).body.allowed).toBe(true);
  });

  test.each([
    ["an empty body", {}, "at least one requirement"],
    ["fields wrapped in requirements (the python README's form)", { requirements: { contractAddress: NFT } }, "not wrapped in `requirements`"],
    ["an unknown field", { contract: NFT }, "contract"],
  ])("%s is 400 parameter_invalid", async (_, body, text) => {
    expect(await call(emulator, "POST", path, { body })).toMatchObject({
      status: 400,
      body: { code: "parameter_invalid", msg: expect.stringContaining(text) },
    });
  });

  test("takes the secret key only: the publishable key is 401 api_key_invalid", async () => {
    const answer = await call(emulator, "POST", path, { key: emulator.publishableKeys[0]!, body: { contractAddress: NFT } });
    expect(answer).toMatchObject({ status: 401, body: { code: "api_key_invalid", msg: expect.stringContaining("secret key") } });
  });

  test("an unknown chain is 404; a wallet that is not the chain's is 400; flow is 400 token gating", async () => {
    expect((await call(emulator, "POST", `/chains/fantom/wallets/${wallet}/tokenOwnership`, { body: { contractAddress: NFT } })).body.code).toBe(
      "resource_not_found",
    );
    expect((await call(emulator, "POST", `/chains/solana/wallets/${wallet}/tokenOwnership`, { body: { tokenIds: [MINT_A] } })).status).toBe(400);
    const flowAnswer = await call(emulator, "POST", `/chains/flow/wallets/0xf8d6e0586b0a20c7/tokenOwnership`, {
      body: { allowedWallets: ["0xf8d6e0586b0a20c7"] },
    });
    expect(flowAnswer.body).toEqual({ code: "parameter_invalid", msg: "token gating is not supported on flow" });
  });

  test("the ledger view reports every balance as a decimal string under the address first written", () => {
    const view = createPicketEmulator({ ledger: { ethereum: { [wallet]: { contractAddress: { [NFT]: 3n } } } } });
    view.setBalance("ethereum", wallet.toLowerCase(), "contractAddress", NFT.toLowerCase(), "1e2");
    expect(view.balances).toEqual({ ethereum: { [wallet]: { contractAddress: { [NFT]: "100" } } } });
  });
});
