// Real sign-ins against the Picket emulator, one per chain type and message format, with keys
// made fresh for each test and signatures made by code independent of the emulator's verifiers
// (viem for EVM, Node's crypto for Solana's ed25519 and Flow's ECDSA). The message comes from the
// facade's createSigningMessage, so the facade's and the emulator's rebuild must agree.
import { describe, expect, test } from "vitest";
import { createPicketEmulator, type PicketEmulator } from "../src/emulator/picket.js";
import { manualClock } from "../src/emulator/serve.js";
import { createSigningMessage } from "../src/picket/index.js";
import { call, chainTypeOf, evmWallet, FLOW_USER_TAG, flowWallet, signIn, siweContext, solanaWallet, type TestWallet } from "./support/picket-emulator.js";

const flow = flowWallet("ECDSA_P256", "SHA3_256");
const flowK1 = flowWallet("ECDSA_secp256k1", "SHA2_256");

function emulatorFor(format: "simple" | "siwe", now?: () => number): PicketEmulator {
  return createPicketEmulator({ format, ...(now ? { now } : {}), flowAccounts: { [flow.address]: [flow.key], [flowK1.address]: [flowK1.key] } });
}

const wallets: [string, () => TestWallet][] = [
  ["ethereum (viem, EIP-191)", () => evmWallet("ethereum")],
  ["polygon (viem, EIP-191)", () => evmWallet("polygon")],
  ["solana (ed25519)", solanaWallet],
  ["flow (P-256, SHA3-256)", () => flow],
  ["flow (secp256k1, SHA2-256)", () => flowK1],
];

describe.each(["simple", "siwe"] as const)("Picket emulator: sign-in, %s format (§4.2, §7.4)", (format) => {
  test.each(wallets)("%s: a fresh key signs in and gets a token and the user", async (_, makeWallet) => {
    const emulator = emulatorFor(format);
    const wallet = makeWallet();
    const answer = await signIn(emulator, wallet);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      user: { chain: wallet.chain, walletAddress: wallet.address, displayAddress: wallet.address, tokenBalances: {} },
    });
    expect(answer.message).toContain(answer.nonce);
    expect(emulator.nonces[0]!.consumedAt).not.toBeNull();
    expect(emulator.tokens).toMatchObject([{ via: "auth", chain: wallet.chain, walletAddress: wallet.address }]);
  });

  test.each(wallets)("%s: the same nonce cannot sign in twice", async (_, makeWallet) => {
    const emulator = emulatorFor(format);
    const wallet = makeWallet();
    const first = await signIn(emulator, wallet);
    expect(first.status).toBe(200);
    const context = format === "siwe" ? siweContext(1, chainTypeOf(wallet.chain)) : undefined;
    const replay = await call(emulator, "POST", "/auth", {
      body: { chain: wallet.chain, walletAddress: wallet.address, signature: await wallet.sign(first.message), context },
    });
    expect(replay).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: expect.stringMatching(/^invalid signature/) } });
    expect(replay.body.msg).toContain("already used");
  });

  test.each(wallets)("%s: a signature by another key is an invalid signature", async (_, makeWallet) => {
    const emulator = emulatorFor(format);
    const wallet = makeWallet();
    const impostor = wallet.chain === "flow" ? flowWallet() : wallet.chain === "solana" ? solanaWallet() : evmWallet(wallet.chain);
    const answer = await signIn(emulator, { ...wallet, sign: (message) => impostor.sign(message) });
    expect(answer).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: expect.stringMatching(/^invalid signature/) } });
    expect(emulator.nonces[0]!.consumedAt).toBeNull();
  });

  test("a signature made by the right wallet for another wallet's address is refused", async () => {
    const emulator = emulatorFor(format);
    const [signer, claimed] = [evmWallet(), evmWallet()];
    await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: claimed.address } });
    const answer = await signIn(emulator, signer, { walletAddress: claimed.address });
    expect(answer).toMatchObject({ status: 400, body: { msg: expect.stringMatching(/^invalid signature/) } });
  });

  test("a nonce past its two minutes is refused, and a new nonce signs in", async () => {
    const clock = manualClock();
    const emulator = emulatorFor(format, clock.now);
    const wallet = evmWallet();
    const nonce = await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet.address } });
    const context = format === "siwe" ? siweContext() : {};
    const message = createSigningMessage({ format, statement: nonce.body.statement, walletAddress: wallet.address, nonce: nonce.body.nonce, ...context });
    const signature = await wallet.sign(message);
    clock.advance(120_000);
    const late = await call(emulator, "POST", "/auth", { body: { chain: "ethereum", walletAddress: wallet.address, signature, context } });
    expect(late).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: expect.stringMatching(/^invalid signature: the nonce expired/) } });
    expect((await signIn(emulator, wallet)).status).toBe(200);
  });

  test("a wallet that never asked for a nonce is refused", async () => {
    const emulator = emulatorFor(format);
    const wallet = evmWallet();
    const answer = await call(emulator, "POST", "/auth", {
      body: { chain: "ethereum", walletAddress: wallet.address, signature: await wallet.sign("anything"), context: siweContext() },
    });
    expect(answer).toMatchObject({ status: 400, body: { msg: expect.stringMatching(/^invalid signature: no nonce was requested/) } });
  });

  test("a message with another statement does not verify", async () => {
    const emulator = emulatorFor(format);
    const wallet = evmWallet();
    const nonce = await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet.address } });
    const context = format === "siwe" ? siweContext() : {};
    const message = createSigningMessage({ format, statement: "Sign in to Another App", walletAddress: wallet.address, nonce: nonce.body.nonce, ...context });
    const answer = await call(emulator, "POST", "/auth", {
      body: { chain: "ethereum", walletAddress: wallet.address, signature: await wallet.sign(message), context },
    });
    expect(answer.body.msg).toMatch(/^invalid signature/);
  });
});

describe("Picket emulator: signature encodings (§7.4)", () => {
  test("an EVM signature with v as 0/1 instead of 27/28 is accepted; a malformed one is an invalid signature", async () => {
    const emulator = createPicketEmulator();
    const wallet = evmWallet();
    const lowV: TestWallet = {
      ...wallet,
      sign: async (message) => {
        const signature = await wallet.sign(message);
        return signature.slice(0, 130) + (parseInt(signature.slice(130), 16) - 27).toString(16).padStart(2, "0");
      },
    };
    expect((await signIn(emulator, lowV)).status).toBe(200);
    for (const signature of ["0x1234", "not hex", "0x" + "00".repeat(65)]) {
      const answer = await signIn(emulator, wallet, { signature });
      expect(answer).toMatchObject({ status: 400, body: { msg: expect.stringMatching(/^invalid signature/) } });
    }
  });

  test("a missing signature is 400 parameter_invalid naming it", async () => {
    const emulator = createPicketEmulator();
    const wallet = evmWallet();
    await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet.address } });
    const answer = await call(emulator, "POST", "/auth", { body: { chain: "ethereum", walletAddress: wallet.address } });
    expect(answer).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: "signature is required" } });
  });

  test("Flow signs tag ‖ message: the tag is the published FLOW-V0.0-user bytes, and a signature without it is refused", async () => {
    expect(FLOW_USER_TAG.toString("hex")).toBe("464c4f572d56302e302d75736572000000000000000000000000000000000000");
    const emulator = createPicketEmulator({ flowAccounts: { [flow.address]: [flow.key] } });
    const { createSign } = await import("node:crypto");
    const untagged: TestWallet = {
      ...flow,
      sign: async (message) => createSign("sha3-256").update(message).sign({ key: flow.privateKey, dsaEncoding: "ieee-p1363" }).toString("hex"),
    };
    expect((await signIn(emulator, untagged)).body.msg).toMatch(/^invalid signature/);
    expect((await signIn(emulator, { ...flow, sign: async (message) => `0x${await flow.sign(message)}` })).status).toBe(200);
  });

  test("Flow: keys worth 1000 together are needed; revoked keys and unknown accounts do not sign", async () => {
    const light = flowWallet("ECDSA_P256", "SHA3_256", 999);
    const halves = flowWallet("ECDSA_P256", "SHA3_256", 500);
    const revoked = flowWallet();
    const emulator = createPicketEmulator({
      flowAccounts: {
        [light.address]: [light.key],
        [halves.address]: [halves.key, halves.key],
        [revoked.address]: [{ ...revoked.key, revoked: true }],
      },
    });
    expect((await signIn(emulator, light)).body.msg).toMatch(/^invalid signature: no keys .* worth 1000/);
    expect((await signIn(emulator, halves)).status).toBe(200);
    expect((await signIn(emulator, revoked)).body.msg).toMatch(/^invalid signature/);
    const stranger = flowWallet();
    expect((await signIn(emulator, stranger)).body.msg).toMatch(/^invalid signature: .*flowAccounts/);
  });

  test("siwe on Solana and Flow says Solana / Flow: a message that still says Ethereum does not verify", async () => {
    const emulator = createPicketEmulator({ format: "siwe" });
    const wallet = solanaWallet();
    const nonce = await call(emulator, "POST", "/auth/nonce", { body: { chain: "solana", walletAddress: wallet.address } });
    const context = siweContext(1, "solana");
    const asEthereum = createSigningMessage({
      format: "siwe",
      statement: nonce.body.statement,
      walletAddress: wallet.address,
      nonce: nonce.body.nonce,
      ...context,
      chainType: "ethereum",
    });
    expect(asEthereum).toContain("Ethereum account");
    const refused = await call(emulator, "POST", "/auth", {
      body: { chain: "solana", walletAddress: wallet.address, signature: await wallet.sign(asEthereum), context },
    });
    expect(refused.body.msg).toMatch(/^invalid signature/);
    const signed = await signIn(emulator, wallet, { context });
    expect(signed.message).toContain("sign in with your Solana account");
    expect(signed.status).toBe(200);
  });
});

describe("Picket emulator: the siwe context (§5.2, §12)", () => {
  test.each(["domain", "uri", "issuedAt", "chainId"])("a siwe login without context.%s is 400 parameter_invalid naming it", async (field) => {
    const emulator = createPicketEmulator({ format: "siwe" });
    const wallet = evmWallet();
    const context: Record<string, unknown> = siweContext();
    const nonce = await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet.address } });
    const signature = await wallet.sign(
      createSigningMessage({ format: "siwe", statement: nonce.body.statement, walletAddress: wallet.address, nonce: nonce.body.nonce, ...siweContext() }),
    );
    delete context[field];
    const answer = await call(emulator, "POST", "/auth", { body: { chain: "ethereum", walletAddress: wallet.address, signature, context } });
    expect(answer).toMatchObject({ status: 400, body: { code: "parameter_invalid", msg: expect.stringContaining(`context.${field}`) } });
    expect(emulator.nonces[0]!.consumedAt).toBeNull();
  });

  test("a siwe login with no context at all (picket-react's RainbowKit adapter) is 400 naming context.domain", async () => {
    const emulator = createPicketEmulator({ format: "siwe" });
    const wallet = evmWallet();
    await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet.address } });
    const answer = await call(emulator, "POST", "/auth", { body: { chain: "ethereum", walletAddress: wallet.address, signature: await wallet.sign("x") } });
    expect(answer.body).toEqual({ code: "parameter_invalid", msg: expect.stringContaining("context.domain") });
  });

  test.each([
    ["picket-go's string chainId", "137", 137],
    ["a hex chainId", "0x89", 137],
    ["a number", 137, 137],
  ])("%s is read as a number, as picket-js reads it: the signed message says Chain ID 137", async (_, chainId, number) => {
    const emulator = createPicketEmulator({ format: "siwe" });
    const wallet = evmWallet("polygon");
    // The facade's createSigningMessage and the emulator's rebuild both write the number (§12);
    // the request carries the chain id as given.
    const answer = await signIn(emulator, wallet, { context: { ...siweContext(), chainId, locale: "" } });
    expect(answer.message).toContain(`Chain ID: ${number}`);
    expect(answer.status).toBe(200);
  });

  test("a context.chainType that names another chain type is 400; picket-go's empty one is ignored", async () => {
    const emulator = createPicketEmulator({ format: "siwe" });
    const wallet = evmWallet();
    const { chainType: _, ...untyped } = siweContext();
    expect((await signIn(emulator, wallet, { context: { ...siweContext(), chainType: "" }, signedContext: untyped })).status).toBe(200);
    const answer = await signIn(emulator, wallet, { context: { ...siweContext(), chainType: "solana" } });
    expect(answer).toMatchObject({ status: 400, body: { msg: expect.stringContaining("context.chainType") } });
  });
});

describe("Picket emulator: what the official clients send (§8, §12)", () => {
  test("picket-python: context {} and requirements {} with a simple project", async () => {
    const emulator = createPicketEmulator();
    const wallet = evmWallet();
    const answer = await signIn(emulator, wallet, { context: {}, requirements: {} });
    expect(answer.status).toBe(200);
    expect(answer.body.user.tokenBalances).toEqual({});
  });

  test("picket-go: a context of six empty strings with a simple project", async () => {
    const emulator = createPicketEmulator();
    const wallet = evmWallet();
    const context = { domain: "", uri: "", chainId: "", issuedAt: "", chainType: "", locale: "" };
    expect((await signIn(emulator, wallet, { context, requirements: {} })).status).toBe(200);
  });

  test("picket-js: a publishable key; an auth without chain (the documented server default is ethereum)", async () => {
    const emulator = createPicketEmulator();
    const wallet = evmWallet();
    expect((await signIn(emulator, wallet, { key: emulator.publishableKeys[0]! })).status).toBe(200);
    const nonce = await call(emulator, "POST", "/auth/nonce", { body: { chain: "ethereum", walletAddress: wallet.address } });
    const message = createSigningMessage({ format: "simple", statement: nonce.body.statement, walletAddress: wallet.address, nonce: nonce.body.nonce });
    const answer = await call(emulator, "POST", "/auth", { body: { walletAddress: wallet.address, signature: await wallet.sign(message) } });
    expect(answer).toMatchObject({ status: 200, body: { user: { chain: "ethereum" } } });
  });
});
