// Hostile servers and input, items 9 and 10: the typed clients reject only with the API's error
// class, whatever the server answers or the caller passes, and refuse path parameters that would
// send the request to another endpoint.
import { describe, expect, test } from "vitest";
import { createPicketClient, PicketError } from "../../src/picket/index.js";
import { createPuidClient, PuidError } from "../../src/puid/index.js";
import { recordingFetch } from "../support/recording-fetch.js";
import { rejection } from "../support/rejection.js";
import { apiKey, rawServer, secretKey } from "./harness.js";

const answer = (head: string, body = "") =>
  `${head}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;

describe("what a server answers never escapes as a bare RangeError or TypeError", () => {
  for (const [what, raw] of [
    ["a status from 600 to 999", answer("HTTP/1.1 799 Odd", '{"plan":"free"}')],
    ["a 205 with a body", answer("HTTP/1.1 205 Reset Content", '{"plan":"free"}')],
    ["a control character in the status text", answer("HTTP/1.1 200 O\u0001K", '{"plan":"free"}')],
  ] as const) {
    test(`${what}: the API's error`, async () => {
      const s = await rawServer(raw);
      const puid = createPuidClient({ apiKey, endpoint: s.url, maxRetries: 0 });
      const error = await rejection(PuidError, puid.GET("/v1/quota"));
      expect(["invalid_response", "network_error"]).toContain(error.code);
      const picket = createPicketClient({ secretKey, baseURL: s.url, maxRetries: 0 });
      expect(["invalid_response", "network_error"]).toContain((await rejection(PicketError, picket.GET("/chains"))).code);
    });
  }
});

describe("what a caller passes never escapes as a bare TypeError", () => {
  test("a BigInt in a body, a line break in a header value: invalid_request, nothing sent", async () => {
    const fetch = recordingFetch(async () => new Response("{}"));
    const picket = createPicketClient({ secretKey, fetch });
    const bigint = await rejection(PicketError, picket.POST("/auth/nonce", { body: { chain: "ethereum", walletAddress: 1n as unknown as string } }));
    expect(bigint).toMatchObject({ status: null, code: "invalid_request" });
    expect(bigint.cause).toBeInstanceOf(TypeError);
    const puid = createPuidClient({ apiKey, fetch });
    const header = await rejection(PuidError, puid.GET("/v1/quota", { headers: { "x-trace": "a\r\nX-Injected: 1" } }));
    expect(header).toMatchObject({ status: null, code: "invalid_request" });
    expect(fetch.requests).toHaveLength(0);
  });

  test("'.' and '..' as path parameters are refused, as the facades refuse them", async () => {
    const fetch = recordingFetch(async () => new Response("{}"));
    const puid = createPuidClient({ apiKey, fetch });
    const picket = createPicketClient({ secretKey, fetch });
    for (const segment of [".", ".."]) {
      expect(await rejection(PuidError, puid.GET("/v1/ordinal/{puid}", { params: { path: { puid: segment } } }))).toMatchObject({
        status: null,
        code: "invalid_request",
      });
      expect(await rejection(PicketError, picket.GET("/chains/{chain}", { params: { path: { chain: segment } } }))).toMatchObject({
        status: null,
        code: "parameter_invalid",
      });
      expect(
        await rejection(
          PicketError,
          picket.POST("/chains/{chain}/wallets/{walletAddress}/tokenOwnership", {
            params: { path: { chain: "ethereum", walletAddress: segment } },
            body: { contractAddress: "0x1" },
          }),
        ),
      ).toMatchObject({ code: "parameter_invalid" });
    }
    expect(fetch.requests).toHaveLength(0);
  });
});
