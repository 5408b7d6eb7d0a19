// SvelteKit's production CSRF gate in front of the PUID emulator (puid-api.md §14): form-like
// bodies need the request's own Origin; JSON bodies and GETs pass; `csrf: false` is `vite dev`.
import { describe, expect, test } from "vitest";
import { clientToken, ORIGIN, registerClient, read, send, setup, withKey } from "./support/puid-emulator.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("the production CSRF gate (§14)", () => {
  const formBody = (client: { clientId: string; clientSecret: string }) =>
    new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }).toString();
  const message = "Cross-site POST form submissions are forbidden";

  test("a form POST without Origin is 403 as text, and as JSON only for Accept exactly application/json", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator);
    const asText = await send(emulator, "/api/oauth/token", { method: "POST", headers: FORM, body: formBody(client) });
    expect(asText.status).toBe(403);
    expect(asText.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await asText.text()).toBe(message);
    const asJson = await send(emulator, "/api/oauth/token", { method: "POST", headers: { ...FORM, accept: "application/json" }, body: formBody(client) });
    expect(asJson.status).toBe(403);
    expect(asJson.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await asJson.json()).toEqual({ message });
    const mixed = await send(emulator, "/api/oauth/token", {
      method: "POST",
      headers: { ...FORM, accept: "application/json, text/plain" },
      body: formBody(client),
    });
    expect(await mixed.text()).toBe(message);
    expect(emulator.tokens).toEqual([]);
  });

  test("another origin is refused; the request's own origin passes", async () => {
    const { emulator } = setup();
    const client = await registerClient(emulator);
    for (const origin of ["https://evil.example", "http://127.0.0.1:80", "null", "http://localhost"]) {
      expect((await send(emulator, "/api/oauth/token", { method: "POST", headers: { ...FORM, origin }, body: formBody(client) })).status).toBe(403);
    }
    const same = await read(send(emulator, "/api/oauth/token", { method: "POST", headers: { ...FORM, origin: ORIGIN }, body: formBody(client) }));
    expect(same.status).toBe(200);
  });

  test("a JSON body passes without Origin; so does any GET", async () => {
    const { emulator, key } = setup();
    const client = await registerClient(emulator);
    expect(await clientToken(emulator, client)).toMatch(/^puid_at_/);
    expect((await withKey(emulator, "/api/v1/quota", key, { headers: FORM })).status).toBe(200);
  });

  test("text/plain and multipart are form types too, on every path and for PUT, PATCH and DELETE", async () => {
    const { emulator, key } = setup();
    const register = await send(emulator, "/api/oauth/register", { method: "POST", body: '{"redirect_uris":["https://a.example/cb"]}' }); // a string body is text/plain
    expect(register.status).toBe(403);
    const multipart = new FormData();
    multipart.set("grant_type", "client_credentials");
    expect((await send(emulator, "/api/oauth/token", { method: "POST", body: multipart })).status).toBe(403);
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const refused = await withKey(emulator, "/api/v1/ids", key, { method, headers: { "Content-Type": "Text/Plain; charset=utf-8" }, body: "x" });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toBe(`Cross-site ${method} form submissions are forbidden`);
    }
    expect((await send(emulator, "/oauth/decision", { method: "POST", headers: FORM, body: "decision=approve" })).status).toBe(403);
    expect(emulator.issued).toEqual([]);
  });

  test("csrf: false (like vite dev) lets form bodies through", async () => {
    const { emulator } = setup({ csrf: false });
    const client = await registerClient(emulator);
    expect((await send(emulator, "/api/oauth/token", { method: "POST", headers: FORM, body: formBody(client) })).status).toBe(200);
  });
});
