// What goes on the wire: which headers a request carries when the caller, the client and the
// package each set some (credentials always the package's), and that a JSON body is labelled JSON
// whatever Content-Type the caller set — on the facade and on the typed low-level client.
import { describe, expect, test } from "vitest";
import { Picket } from "../src/picket/index.js";
import { createPuidClient, Puid } from "../src/puid/index.js";
import { apiKey, json, server } from "./support/fault-server.js";

describe("headers and bodies as the server gets them", () => {
  test("the caller's headers win over the package's own, per call over client-wide, credentials over all", async () => {
    const s = await server((_req, res) => json(res, 200, { nonce: "n", statement: "s", format: "siwe" }));
    const picket = new Picket("sk_test_x", {
      baseURL: s.url,
      headers: { "Content-Type": "application/vnd.example+json", Accept: "application/x-a", "X-Trace": "client" },
    });
    await picket.nonce({ walletAddress: "0xabc" }, { headers: { "x-trace": "call", Authorization: "Bearer stolen" } });
    const { headers } = s.requests[0]!;
    expect(headers).toMatchObject({ "content-type": "application/vnd.example+json", accept: "application/x-a", "x-trace": "call" });
    expect(headers.authorization).toBe(`Basic ${btoa("sk_test_x:")}`);
  });

  test("the typed client keeps client-wide headers, and the body serializer sees them", async () => {
    const s = await server((_req, res) => json(res, 200, { access_token: "t", token_type: "Bearer", expires_in: 3600, scope: "puid:generate" }));
    const client = createPuidClient({ apiKey, endpoint: s.url, headers: { "X-Trace": "client", "Content-Type": "application/x-www-form-urlencoded" } });
    await client.POST("/oauth/token", { body: { grant_type: "client_credentials", client_id: "c", client_secret: "x" } });
    expect(s.requests[0]).toMatchObject({ body: "grant_type=client_credentials&client_id=c&client_secret=x" });
    expect(s.requests[0]!.headers).toMatchObject({ "x-trace": "client", "content-type": "application/x-www-form-urlencoded", "x-api-key": apiKey });
  });
});

describe("the facade's own requests", () => {
  test("a client-wide Content-Type never mislabels the JSON token request", async () => {
    const s = await server((_req, res) => json(res, 200, { access_token: "puid_at_x", token_type: "Bearer", expires_in: 3600, scope: "puid:generate" }));
    await Puid.fromClientCredentials({
      clientId: "client_x",
      clientSecret: "secret_x",
      endpoint: s.url,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(s.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(s.requests[0]!.body)).toMatchObject({ grant_type: "client_credentials" });
  });

  test("a JSON body goes as JSON whatever non-JSON type the caller set", async () => {
    const s = await server((_req, res) => json(res, 200, { nonce: "n", statement: "s", format: "siwe" }));
    await new Picket("sk_test_x", { baseURL: s.url, headers: { "Content-Type": "application/x-www-form-urlencoded" } }).nonce({ walletAddress: "0xabc" });
    expect(s.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(s.requests[0]!.body)).toMatchObject({ walletAddress: "0xabc" });
  });
});
