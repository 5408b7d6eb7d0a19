/** The typed low-level PUID client: openapi-fetch, typed by the generated `paths`, on PUID's transport. */
import type { Client } from "openapi-fetch";
import { createLowLevelClient } from "../core/client.js";
import { CoreCode } from "../core/errors.js";
import { checkKeys, readOptions } from "../core/options.js";
import type { paths } from "../generated/puid.js";
import { CLIENT_OPTIONS, OPTION_HINTS, puidApi, puidCredential, type PuidClientOptions, type PuidCredentials } from "./api.js";
import { PuidCode, puidArgument, puidErrors } from "./errors.js";

/** The typed low-level client: `client.GET("/v1/ids", { params: { query: { n: 3 } } })`. */
export type PuidClient = Client<paths, "application/json">;

/**
 * Create the typed low-level PUID client (openapi-fetch), which adds `X-API-Key` or
 * `Authorization: Bearer`, `Accept: application/json` and a `User-Agent` to every request, and
 * sends through the package's transport (timeouts, safe retries, typed errors).
 *
 * ```ts
 * import { createPuidClient } from "picket-puid/puid";
 *
 * const puid = createPuidClient({ apiKey: process.env.PUID_API_KEY! });
 * const { data, error } = await puid.GET("/v1/ids", { params: { query: { n: 3 } } });
 * if (error) throw new Error(`${error.error}: ${error.message}`);
 * console.log(data.ids);
 * ```
 *
 * @throws {PuidError} `invalid_credentials` unless exactly one of `apiKey`, `accessToken` is given.
 */
export function createPuidClient(options: Exclude<PuidCredentials, { tokenSource: unknown }> & PuidClientOptions = {}): PuidClient {
  const read = readOptions(puidErrors, options ?? {});
  checkKeys(puidErrors, read, ["apiKey", "accessToken", ...CLIENT_OPTIONS], OPTION_HINTS);
  const credential = puidCredential(read);
  if (!("headers" in credential))
    throw puidArgument(PuidCode.invalidCredentials)("The typed client takes `apiKey` or `accessToken`; a `tokenSource` is for `new Puid(...)`.");
  const { apiKey: _apiKey, accessToken: _accessToken, ...rest } = read;
  return createLowLevelClient({ api: puidApi({}, rest), auth: credential.headers, options: rest, argumentCode: CoreCode.invalidRequest });
}
