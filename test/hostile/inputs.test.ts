// Hostile input, items 15 and 17: arguments and options that throw when read, and endpoints that
// end in a bare `?` or `#`.
import { describe, expect, test } from "vitest";
import { Picket, PicketError } from "../../src/picket/index.js";
import { Puid, PuidError } from "../../src/puid/index.js";
import { recordingFetch } from "../support/recording-fetch.js";
import { rejection } from "../support/rejection.js";
import { apiKey, secretKey } from "./harness.js";

const boom = new Error("getter threw");
const throwing = <T extends object>(base: T, key: string): T =>
  Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get() {
      throw boom;
    },
  });
const trap = new Proxy(
  {},
  {
    get() {
      throw boom;
    },
    ownKeys() {
      throw boom;
    },
    has() {
      throw boom;
    },
  },
);

describe("a throwing getter or a Proxy becomes the API's error, with the original as cause", () => {
  const fetch = recordingFetch(async () => new Response("{}", { headers: { "content-type": "application/json" } }));

  test("in a method's arguments: invalid_request", async () => {
    const picket = new Picket(secretKey, { fetch });
    const cases: (() => Promise<unknown>)[] = [
      () => picket.nonce(throwing({ walletAddress: "0xabc" }, "walletAddress")),
      () => picket.nonce(trap as never),
      () => picket.auth({ walletAddress: "0xabc", signature: "0xab", requirements: throwing({}, "contractAddress") }),
      () => picket.tokenOwnership({ walletAddress: "0xabc", requirements: trap }),
      () => Picket.authorizationUrl(trap as never),
      () => Puid.fromClientCredentials(trap as never),
      () =>
        Puid.registerClient({
          redirectUris: new Proxy(["https://a.example/cb"], {
            get: () => {
              throw boom;
            },
          }),
        }),
    ];
    for (const call of cases) {
      const error = await rejection(PicketPuidErrorOf(call), call());
      expect(error).toMatchObject({ status: null, code: "invalid_request" });
      expect(error.cause).toBe(boom);
    }
    expect(fetch.requests).toHaveLength(0);
  });

  test("in options: invalid_option, for a client and for a call", async () => {
    const throwingOptions = throwing({}, "timeout");
    const proxied = new Proxy(
      { apiKey, fetch },
      {
        ownKeys: () => {
          throw boom;
        },
      },
    );
    expect(await rejection(PuidError, () => new Puid(proxied))).toMatchObject({ code: "invalid_option" });
    expect(await rejection(PuidError, () => new Puid({ apiKey, fetch, headers: trap }))).toMatchObject({ code: "invalid_option" });
    const puid = new Puid({ apiKey, fetch });
    const error = await rejection(PuidError, puid.quota(throwingOptions));
    expect(error).toMatchObject({ status: null, code: "invalid_option" });
    expect(error.cause).toBe(boom);
    expect(await rejection(PicketError, () => new Picket(secretKey, trap as never))).toMatchObject({ code: "invalid_option" });
    expect(fetch.requests).toHaveLength(0);
  });
});

/** Which error class a case rejects with: PUID's statics reject with PuidError, the rest with PicketError. */
function PicketPuidErrorOf(call: () => unknown): abstract new (...args: never[]) => PuidError | PicketError {
  return /Puid\./.test(call.toString()) ? PuidError : PicketError;
}

describe("an endpoint that ends in a bare ? or #", () => {
  test("is refused, not quietly dropped", () => {
    for (const endpoint of ["https://puid.dev/api?", "https://puid.dev/api#", "https://puid.dev/api/?#"]) {
      expect(() => new Puid({ apiKey, endpoint })).toThrow(expect.objectContaining({ code: "invalid_endpoint", status: null }));
    }
    expect(() => new Picket(secretKey, { baseURL: "https://picketapi.com/api/v1?" })).toThrow(PicketError);
  });
});
