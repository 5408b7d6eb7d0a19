// The OAuth token lifecycle of a Puid client against the PUID emulator, whose tokens live an hour:
// a token the server has expired is renewed once after its 401 and the call replayed; a token
// near its end on the client's own clock is renewed before a call goes out; concurrent calls share
// one renewal either way; a user's client renews with its refresh token. Nobody waits an hour:
// the emulator's clock is stepped by hand, and where the client's clock matters (it reads `Date`),
// `Date` alone is faked — timers and the pacer run on real time.
import { afterEach, describe, expect, test, vi } from "vitest";
import { createPuidEmulator, type PuidEmulator } from "../src/emulator/puid.js";
import { manualClock } from "../src/emulator/serve.js";
import { Puid } from "../src/puid/index.js";
import { facadeSignIn } from "./support/puid-emulator.js";

const endpoint = "http://127.0.0.1/api";
const NOON = Date.UTC(2026, 5, 1, 12);
const HOUR = 3_600_000;

/** What the emulator's log says of the token endpoint and of /v1/quota, in arrival order. */
function traffic(emulator: PuidEmulator) {
  return {
    tokens: emulator.log.filter(({ path }) => path === "/api/oauth/token").map(({ status }) => status),
    quota: emulator.log.filter(({ path }) => path === "/api/v1/quota").map(({ status }) => status),
  };
}

/** A registered client and a Puid client made from its credentials, both on `emulator`. */
async function clientCredentials(emulator: PuidEmulator) {
  const { client_id: clientId, client_secret: clientSecret } = await Puid.registerClient({
    redirectUris: ["https://app.example/cb"],
    endpoint,
    fetch: emulator.fetch,
  });
  const puid = await Puid.fromClientCredentials({ clientId, clientSecret, endpoint, fetch: emulator.fetch, maxRetries: 0 });
  return { clientId, puid };
}

describe("the server expires the token (the emulator's clock moves, the client's does not)", () => {
  test("one 401, one new token, the call replayed once and answered", async () => {
    const clock = manualClock(NOON);
    const emulator = createPuidEmulator({ now: clock.now });
    const { clientId, puid } = await clientCredentials(emulator);
    expect(await puid.quota()).toMatchObject({ plan: "free" });
    clock.advance(HOUR + 1); // past the token's last millisecond on the server
    expect(await puid.quota()).toMatchObject({ plan: "free" });
    expect(traffic(emulator)).toEqual({ tokens: [200, 200], quota: [200, 401, 200] });
    expect(emulator.tokens.filter(({ kind, clientId: id }) => kind === "access" && id === clientId).map(({ issuedAt }) => issuedAt)).toEqual([
      NOON,
      NOON + HOUR + 1,
    ]);
  });

  test("20 concurrent calls refused with 401 share one renewal, and each is replayed once", async () => {
    const clock = manualClock(NOON);
    const emulator = createPuidEmulator({ now: clock.now });
    const { puid } = await clientCredentials(emulator);
    clock.advance(HOUR + 1);
    const answers = await Promise.all(Array.from({ length: 20 }, () => puid.quota()));
    expect(answers.every((answer) => answer.plan === "free")).toBe(true);
    const { tokens, quota } = traffic(emulator);
    expect(tokens).toEqual([200, 200]);
    expect(quota.filter((status) => status === 401)).toHaveLength(20);
    expect(quota.filter((status) => status === 200)).toHaveLength(20);
  });
});

describe("the client sees the token's end coming (its clock and the emulator's are one faked Date)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** An emulator reading `Date.now()`, after `Date` alone is faked and set to noon. */
  function onOneClock() {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOON);
    return createPuidEmulator({ now: () => Date.now() });
  }

  test("in the token's last minute a call first renews it, so the server refuses nothing; a minute and more before, it does not", async () => {
    const emulator = onOneClock();
    const { puid } = await clientCredentials(emulator);
    vi.setSystemTime(NOON + HOUR - 61_000);
    await puid.quota();
    expect(traffic(emulator)).toEqual({ tokens: [200], quota: [200] });
    vi.setSystemTime(NOON + HOUR - 30_000); // the old token still works for 30 s, but not for long
    await puid.quota();
    expect(traffic(emulator)).toEqual({ tokens: [200, 200], quota: [200, 200] });
    expect(emulator.log.map(({ path }) => path).slice(-2)).toEqual(["/api/oauth/token", "/api/v1/quota"]);
  });

  test("20 concurrent calls after the token's end share one token request, and none is refused", async () => {
    const emulator = onOneClock();
    const { puid } = await clientCredentials(emulator);
    vi.setSystemTime(NOON + HOUR + 1);
    await Promise.all(Array.from({ length: 20 }, () => puid.quota()));
    const { tokens, quota } = traffic(emulator);
    expect(tokens).toEqual([200, 200]);
    expect(quota).toEqual(Array.from({ length: 20 }, () => 200));
  });

  test("a user's client (authorization code with PKCE) renews with its refresh token before the access token ends, and acts for the same team", async () => {
    const emulator = onOneClock();
    const { exchange } = await facadeSignIn(emulator, endpoint);
    const puid = await exchange({ requestsPerSecond: false });
    await puid.ids(2);
    for (let hour = 1; hour <= 2; hour++) {
      vi.setSystemTime(NOON + hour * HOUR);
      await puid.ids(1);
    }
    expect(traffic(emulator).tokens).toEqual([200, 200, 200]); // the code, then one refresh an hour
    expect(emulator.log.filter(({ path }) => path.startsWith("/api/v1/ids")).map(({ status }) => status)).toEqual([200, 200, 200]);
    const refreshes = emulator.tokens.filter(({ kind }) => kind === "refresh");
    expect(refreshes.map(({ issuedAt }) => issuedAt)).toEqual([NOON, NOON + HOUR, NOON + 2 * HOUR]);
    expect(emulator.usage()).toMatchObject({ used: 4 }); // the approving team's quota, all along
  });
});
