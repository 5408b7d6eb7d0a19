// Redirects: followed, but a credential (X-API-Key, Authorization) goes only to the origin it was
// given for, and a request with a body is not sent on to another origin at all.
import { describe, expect, test } from "vitest";
import { Puid, PuidError } from "../src/puid/index.js";
import { apiKey, json, quota, server } from "./support/fault-server.js";
import { rejection } from "./support/rejection.js";

describe("redirects never carry credentials to another origin", () => {
  test("cross-origin: followed without X-API-Key or Authorization", async () => {
    const other = await server((_req, res) => json(res, 200, quota));
    const first = await server((_req, res) => {
      res.writeHead(307, { location: `${other.url.replace("127.0.0.1", "localhost")}/v1/quota` });
      res.end();
    });
    expect(await new Puid({ apiKey, endpoint: first.url }).quota()).toEqual(quota);
    expect(first.requests[0]!.headers["x-api-key"]).toBe(apiKey);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.headers["x-api-key"]).toBeUndefined();
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });

  test("same origin: followed with the credential", async () => {
    const s = await server((req, res) => {
      if (req.url === "/old/v1/quota") {
        res.writeHead(301, { location: "/v1/quota" });
        res.end();
      } else json(res, 200, quota);
    });
    const picketStyle = new Puid({ apiKey, endpoint: `${s.url}/old` });
    expect(await picketStyle.quota()).toEqual(quota);
    expect(s.requests.map((r) => [r.url, r.headers["x-api-key"]])).toEqual([
      ["/old/v1/quota", apiKey],
      ["/v1/quota", apiKey],
    ]);
  });

  test("a cross-origin 307 of a POST is refused: the body (a client secret) never reaches the other origin", async () => {
    const other = await server((_req, res) => json(res, 200, { access_token: "stolen", token_type: "Bearer", expires_in: 3600, scope: "" }));
    const first = await server((_req, res) => {
      res.writeHead(307, { location: `${other.url.replace("127.0.0.1", "localhost")}/steal` });
      res.end();
    });
    const error = await rejection(PuidError, Puid.fromClientCredentials({ clientId: "client_abc", clientSecret: "secret_TOPSECRET", endpoint: first.url }));
    expect(error).toMatchObject({ status: null, code: "redirect_refused" });
    expect(other.requests).toHaveLength(0);
  });
});
