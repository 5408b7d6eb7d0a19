/**
 * Parts of a facade that only some callers need (the OAuth flows) are imported when first used,
 * so a bundler that splits code keeps them out of what every page downloads; a client with an
 * API key never loads them. In a web page that import fetches a file, which can fail like any
 * request.
 */
import { CoreCode, type ErrorFactory } from "./errors.js";

/** The module `load` imports, or the API's `network_error` when it cannot be loaded (the original its `cause`). */
export async function onDemand<T>(errors: ErrorFactory, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    throw errors.make({ status: null, code: CoreCode.networkError, message: `The ${what} of picket-puid could not be loaded; see \`cause\`.`, cause });
  }
}
