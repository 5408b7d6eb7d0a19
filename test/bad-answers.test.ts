// Bad answers: what the client makes of an answer it cannot take as it is — malformed JSON, null,
// the wrong shape, an HTML page where JSON should be, a JSON error body under another
// content-type — always the API's error with the status, never a bare SyntaxError or undefined.
import { describe, expect, test } from "vitest";
import { Picket, PicketError } from "../src/picket/index.js";
import { Puid, PuidError } from "../src/puid/index.js";
import { apiKey, json, server, timed } from "./support/fault-server.js";
import { rejection } from "./support/rejection.js";

describe("bad answers", () => {
  test("malformed JSON in a success → invalid_response with the status, not a SyntaxError", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"plan": "free", ');
    });
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(s.requests).toHaveLength(1);
  });

  test("a success whose JSON is null is invalid_response, not a TypeError", async () => {
    const s = await server((_req, res) => json(res, 200, null));
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
  });

  test("an HTML 200 (a captive portal) is invalid_response with status 200", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>Sign in to the Wi-Fi</html>");
    });
    const error = await rejection(PuidError, new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 200, code: "invalid_response" });
  });

  test("a JSON 200 of the wrong shape is invalid_response, never undefined", async () => {
    const s = await server((_req, res) => json(res, 200, { hello: 1 }));
    const puid = new Puid({ apiKey, endpoint: s.url, requestsPerSecond: false });
    for (const call of [() => puid.ids(1), () => puid.quota(), () => puid.ordinal("abc")]) {
      expect(await rejection(PuidError, call())).toMatchObject({ status: 200, code: "invalid_response" });
    }
    expect(await rejection(PicketError, new Picket("sk_x", { baseURL: s.url }).chains())).toMatchObject({ code: "invalid_response" });
  });

  test("an error body in JSON is read whatever its content-type says, retry hint included", async () => {
    const s = await server((_req, res, _body, attempt) => {
      res.writeHead(attempt === 1 ? 429 : 400, { "content-type": "text/plain" });
      res.end(JSON.stringify(attempt === 1 ? { error: "rate_limited", retryAfterMs: 30 } : { error: "bad_request", message: "count is wrong" }));
    });
    const { ms, error } = await timed(() => new Puid({ apiKey, endpoint: s.url }).quota());
    expect(error).toMatchObject({ status: 400, code: "bad_request", message: expect.stringMatching(/^count is wrong \(2 attempts over 0\.\d s\)$/) });
    expect(s.requests).toHaveLength(2);
    expect(ms).toBeLessThan(400); // waited the body's 30 ms, not a backoff of 375 ms or more
  });
});
