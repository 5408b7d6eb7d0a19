/**
 * Picket's wiring: where the API is, how the key is sent, which requests are safe to repeat, and
 * the error class. The facade (`picket.ts`) and the typed client (`client.ts`) both build on it.
 */
import { createApi, type Api } from "../core/api.js";
import { base64 } from "../core/base64.js";
import type { EndpointOptions } from "../core/endpoint.js";
import { env, refuseInBrowser } from "../core/env.js";
import type { LogOptions } from "../core/log.js";
import { REQUEST_OPTIONS } from "../core/options.js";
import type { RequestOptions, TransportConfig } from "../core/transport.js";
import { requireCredential } from "../core/validate.js";
import type { paths } from "../generated/picket.js";
import { invalidParameter, picketErrors } from "./errors.js";

/** The production Picket API. */
export const PICKET_BASE_URL = "https://picketapi.com/api/v1";

/** Options of a Picket client: where the API is, the defaults of every request, and where to log. */
export interface PicketOptions extends RequestOptions, EndpointOptions, LogOptions {
  /**
   * Base URL of the API: default the `PICKET_BASE_URL` environment variable, else
   * `https://picketapi.com/api/v1`. A trailing slash is harmless.
   */
  baseURL?: string | undefined;
  /**
   * In a web page, a client refuses a key that is not a publishable one (`pk_…`) unless this is
   * `true`: a secret key there is readable by anyone. (A publishable key without the `pk_` prefix
   * needs it too, since the two cannot be told apart.)
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/** The options every Picket client takes, and mistakes worth a hint. */
export const CLIENT_OPTIONS: readonly string[] = [...REQUEST_OPTIONS, "baseURL", "allowInsecureHttp", "logger", "logLevel", "dangerouslyAllowBrowser"];
export const OPTION_HINTS: Record<string, string> = {
  endpoint: "did you mean 'baseURL'? (endpoint is the PUID client's name for it)",
  baseUrl: "did you mean 'baseURL'?",
  apiKey: "the key is the first argument: new Picket(key, options)",
  secretKey: "the key is the first argument: new Picket(key, options)",
};

/**
 * Which Picket requests may be repeated after they could have reached the server: the GETs.
 * Every POST (nonce, auth, authz, validate, tokenOwnership, OAuth token) is only repeated when
 * the server refused it outright (408, 429) or no connection was made.
 */
export const picketTransport: TransportConfig = {
  errors: picketErrors,
  idempotent: (request) => request.method === "GET",
};

/**
 * Check the key and return the `Authorization` header it is sent as.
 * Throws `PicketError` (`status: null`, code `parameter_invalid`) for a missing or empty key.
 */
export function picketAuthHeaders(secretKey: unknown): Record<string, string> {
  requireCredential(secretKey, "secretKey", invalidParameter);
  return { authorization: `Basic ${base64(`${secretKey}:`)}` };
}

/**
 * The key a client uses: the one given, else the `PICKET_SECRET_KEY` environment variable;
 * checked, and refused in a web page unless it is publishable (`pk_…`) or the caller allowed it.
 */
export function picketKey(secretKey: unknown, options: Pick<PicketOptions, "dangerouslyAllowBrowser">): string {
  const key = secretKey ?? env("PICKET_SECRET_KEY");
  if (key === undefined) throw invalidParameter("No key: pass the project's key (new Picket(key)), or set the PICKET_SECRET_KEY environment variable.");
  requireCredential(key, "secretKey", invalidParameter);
  if (!key.startsWith("pk_")) refuseInBrowser(picketErrors, "A Picket key that is not a publishable one (pk_…)", options.dangerouslyAllowBrowser);
  return key;
}

/** The client the facade builds on: checked key and base URL, Picket's transport, typed calls. */
export function picketApi(secretKey: string, options: PicketOptions = {}): Api<paths> {
  const { baseURL = env("PICKET_BASE_URL") ?? PICKET_BASE_URL, allowInsecureHttp, dangerouslyAllowBrowser: _allowed, ...requestOptions } = options ?? {};
  return createApi<paths>({ baseUrl: baseURL, allowInsecureHttp, auth: picketAuthHeaders(secretKey), transport: picketTransport, options: requestOptions });
}
