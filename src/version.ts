/** The version of this package, sent in the `User-Agent` header. A test keeps it equal to package.json. */
export const VERSION = "0.1.0";
