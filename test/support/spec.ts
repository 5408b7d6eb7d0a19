// Read the OpenAPI documents the way a test needs them: the operations they declare and the
// examples they promise, so a contract test asserts what the document says, not a copy of it.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export type Api = "puid" | "picket";

type Json = Record<string, any>;
const cache = new Map<Api, Json>();

export function document(api: Api): Json {
  let doc = cache.get(api);
  if (!doc) {
    doc = parse(fs.readFileSync(path.join(root, "openapi", `${api}.yaml`), "utf8")) as Json;
    cache.set(api, doc);
  }
  return doc;
}

/** Follow a local `$ref` until the object is inline. */
export function deref(api: Api, node: Json): Json {
  let current = node;
  while (current && typeof current.$ref === "string") {
    const parts = current.$ref.replace(/^#\//, "").split("/");
    current = parts.reduce((at: Json, key: string) => at[key.replace(/~1/g, "/").replace(/~0/g, "~")], document(api));
  }
  return current;
}

export interface Operation {
  path: string;
  method: "get" | "post";
  operationId: string;
  /** The documented statuses, as strings ("200", "429", "default"). */
  statuses: string[];
  secured: boolean;
  /** Whether its 200 has a JSON body (every operation a facade calls does). */
  jsonSuccess: boolean;
}

export function operations(api: Api): Operation[] {
  const doc = document(api);
  const list: Operation[] = [];
  for (const [p, item] of Object.entries<Json>(doc.paths)) {
    for (const method of ["get", "post"] as const) {
      const op = item[method];
      if (!op) continue;
      const security = op.security ?? doc.security ?? [];
      list.push({
        path: p,
        method,
        operationId: op.operationId,
        statuses: Object.keys(op.responses),
        secured: security.length > 0 && !security.some((s: Json) => Object.keys(s).length === 0),
        jsonSuccess: Boolean(op.responses["200"] && deref(api, op.responses["200"]).content?.["application/json"]),
      });
    }
  }
  return list;
}

/** The first named example of a response body (JSON unless told): the one Prism serves. */
export function responseExample(api: Api, p: string, method: string, status: string, mediaType = "application/json"): unknown {
  const response = deref(api, document(api).paths[p][method].responses[status]);
  const media = response.content?.[mediaType];
  if (!media) throw new Error(`${method.toUpperCase()} ${p} ${status} has no ${mediaType} body`);
  if (media.examples) {
    const first = Object.values<Json>(media.examples)[0]!;
    return deref(api, first).value;
  }
  return media.example;
}

/** The first named example of a JSON request body. */
export function requestExample(api: Api, p: string, method: string, mediaType = "application/json"): any {
  const op = document(api).paths[p][method];
  const media = deref(api, op.requestBody).content[mediaType];
  const first = Object.values<Json>(media.examples)[0]!;
  return deref(api, first).value;
}
