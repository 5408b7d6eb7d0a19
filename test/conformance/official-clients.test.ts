// Conformance: every request the official clients send, byte for byte, is accepted by a mock that
// validates requests against our documents (Prism, `errors: true`), and what those clients read
// from the answer is in the first example the mock serves. Fixtures: ./official-clients.ts.
import { describe, expect, inject, test } from "vitest";
import { picketClients, puidClients, secretKey, type ClientRequest, type OfficialClient } from "./official-clients.js";

/** The value at a dotted path (`user.tokenBalances`, `data.0.chainSlug`), or `undefined`. */
function at(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}

/** Send the request exactly as given: no header or body of ours is added. */
async function send(base: string, request: ClientRequest): Promise<{ status: number; text: string; type: string }> {
  const response = await fetch(base + request.path, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    redirect: "manual",
  });
  return { status: response.status, text: await response.text(), type: response.headers.get("content-type") ?? "" };
}

function conformance(api: string, base: () => string, clients: OfficialClient[]): void {
  for (const client of clients) {
    describe(`${client.name} (${client.source}) against openapi/${api}.yaml`, () => {
      for (const request of client.requests) {
        test(`${request.call}: ${request.method} ${request.path.split("?")[0]}`, async () => {
          const { status, text, type } = await send(base(), request);
          if (request.refused) {
            // Refused on purpose; the reason is in the fixture.
            expect(status, request.refused.because).toBe(request.refused.status);
            return;
          }
          expect(status, text).toBeGreaterThanOrEqual(200);
          expect(status, text).toBeLessThan(300);
          if (request.reads.length === 0) return;
          expect(type).toMatch(/json/);
          const body: unknown = JSON.parse(text);
          for (const path of request.reads) expect(at(body, path), `${client.name} reads ${path}`).not.toBeUndefined();
        });
      }
    });
  }
}

conformance("picket", () => inject("picketUrl"), picketClients);
conformance("puid", () => inject("puidUrl"), puidClients);

describe("the documents still refuse what no client sends", () => {
  test("Picket: no Authorization header → 401", async () => {
    const response = await fetch(`${inject("picketUrl")}/chains`, { headers: { "Content-Type": "application/json" } });
    expect(response.status).toBe(401);
  });

  test("Picket: tokenOwnership with {} or with the requirements wrapped → 400", async () => {
    for (const body of [{}, { requirements: { contractAddress: "0xa3305F188cb610900F9E347FaE886dC6507795ec" } }, { minTokenBalance: "1" }]) {
      const response = await fetch(`${inject("picketUrl")}/chains/ethereum/wallets/0x52F22665A60C12D289185D950Ee8813609166f6B/tokenOwnership`, {
        method: "POST",
        headers: { Authorization: `Basic ${Buffer.from(`${secretKey}:`).toString("base64")}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  test("PUID: neither X-API-Key nor Bearer → 401", async () => {
    const response = await fetch(`${inject("puidUrl")}/v1/quota`, { headers: { Accept: "application/json" } });
    expect(response.status).toBe(401);
  });
});
