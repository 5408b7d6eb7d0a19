/**
 * The description the server serves about itself at `/api/openapi.json` and `/api/openapi.yaml`
 * (§1, §10, §14): compact, without authentication, with its server and OAuth URLs on the request's
 * origin. Like the real one it lists the three `/v1` paths and the schemes `ApiKeyAuth` and
 * `OAuth2`, and no OAuth paths. Written from the reference, not copied from the server.
 */
import { SCOPES } from "./grants.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const content = (schema: unknown) => ({ "application/json": { schema } });
const answer = (description: string, schema: string) => ({ description, content: content(ref(schema)) });

/** The OpenAPI 3.1 document, for a server at `origin`. */
export function describeApi(origin: string): Record<string, unknown> {
  const scopes = Object.fromEntries(SCOPES.map((scope) => [scope, scope === "puid:generate" ? "Generate ids" : "Decode ids to ordinals"]));
  const tokenUrl = `${origin}/api/oauth/token`;
  return {
    openapi: "3.1.0",
    info: { title: "PUID API", version: "1.0.0", summary: "Probably Unique IDentifiers", license: { name: "AGPL-3.0-only" } },
    servers: [{ url: `${origin}/api` }],
    security: [{ ApiKeyAuth: [] }, { OAuth2: ["puid:generate"] }],
    paths: {
      "/v1/ids": {
        get: {
          operationId: "generate",
          summary: "Generate 1-10 ids (one request per second, daily quota)",
          parameters: [{ name: "n", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 10, default: 1 } }],
          responses: {
            "200": answer("Ids", "IdsResponse"),
            "401": answer("Unauthorized", "Error"),
            "402": answer("Daily quota exceeded", "Error"),
            "429": answer("Rate limited", "Error"),
          },
        },
      },
      "/v1/ordinal/{puid}": {
        get: {
          operationId: "ordinal",
          summary: "Decode an id to its ordinal",
          parameters: [{ name: "puid", in: "path", required: true, schema: { type: "string", pattern: "^[0-9A-Za-z]{1,22}$" } }],
          responses: { "200": answer("Ordinal", "OrdinalResponse"), "400": answer("Not a valid PUID", "Error") },
        },
      },
      "/v1/quota": {
        get: { operationId: "quota", summary: "Today's usage (UTC day)", responses: { "200": answer("Quota", "QuotaResponse") } },
      },
    },
    components: {
      securitySchemes: {
        ApiKeyAuth: { type: "apiKey", in: "header", name: "X-API-Key" },
        OAuth2: {
          type: "oauth2",
          flows: {
            authorizationCode: { authorizationUrl: `${origin}/oauth/authorize`, tokenUrl, refreshUrl: tokenUrl, scopes },
            clientCredentials: { tokenUrl, scopes },
          },
        },
      },
      schemas: {
        Error: { type: "object", properties: { error: { type: "string" }, message: { type: "string" } } },
        IdsResponse: {
          type: "object",
          required: ["ids", "count"],
          properties: {
            ids: { type: "array", items: { type: "string" } },
            count: { type: "integer" },
            quota: { type: "object", properties: { used: { type: "integer" }, limit: { type: ["integer", "null"] } } },
            warning: { type: "string" },
          },
        },
        OrdinalResponse: { type: "object", required: ["puid", "ordinal"], properties: { puid: { type: "string" }, ordinal: { type: "string" } } },
        QuotaResponse: {
          type: "object",
          required: ["plan", "used"],
          properties: {
            plan: { type: "string" },
            used: { type: "integer" },
            limit: { type: ["integer", "null"] },
            remaining: { type: ["integer", "null"] },
          },
        },
      },
    },
  };
}
