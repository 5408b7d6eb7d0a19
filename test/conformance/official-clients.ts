// What each official client of the two APIs puts on the wire, request by request, written from
// the research notes (../shared/reference/picket-api.md §2, §4, §8, §12 and puid-api.md §2, §3,
// §4.4, §11), not from the clients' code. Each request says what the client reads from the answer,
// so a test can check that the document's first example (the one a mock serves) carries it.

/** One request as a client builds it: exact method, path and query, headers and body bytes. */
export interface ClientRequest {
  /** The client method that sends it, e.g. `nonce({ walletAddress })`. */
  call: string;
  method: "GET" | "POST";
  /** Path and query under the API base, as sent. */
  path: string;
  headers: Record<string, string>;
  /** The body bytes, as the client serializes them. */
  body?: string;
  /** Dotted paths into the JSON answer that the client (or its documented use) reads. */
  reads: string[];
  /**
   * When the document refuses this request on purpose: the status a validating mock answers and
   * why (a known client bug, with its evidence).
   */
  refused?: { status: number; because: string };
}

export interface OfficialClient {
  name: string;
  /** Where the notes describe it. */
  source: string;
  requests: ClientRequest[];
}

const b64 = (text: string) => Buffer.from(text).toString("base64");
/** Python's `json.dumps` with its default separators (`", "` and `": "`), as `requests(json=...)` sends. */
const pyJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(pyJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pyJson(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
};

export const secretKey = "sk_test_8f3a1c9e2b7d4f60a5e1";
export const publishableKey = "pk_123_456_your_key";
const wallet = "0x52F22665A60C12D289185D950Ee8813609166f6B";
const signature = `0x${"4231b19a".repeat(16)}1b`;
const contract = "0xa3305F188cb610900F9E347FaE886dC6507795ec";
const jwt =
  "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJjaGFpbiI6ImV0aGVyZXVtIiwid2FsbGV0QWRkcmVzcyI6IjB4NTJGMjI2NjVBNjBDMTJEMjg5MTg1RDk1MEVlODgxMzYwOTE2NmY2QiJ9.c2lnbmF0dXJl";
const userReads = ["accessToken", "user.chain", "user.walletAddress", "user.displayAddress", "user.tokenBalances"];
const claimReads = ["chain", "walletAddress", "displayAddress", "tokenBalances", "exp"];

/** picket-node 0.0.12: `Basic base64(key)` without the colon, JSON on every request, its stale User-Agent (§2.2, §2.4). */
const nodeHeaders = { Authorization: `Basic ${b64(secretKey)}`, "Content-Type": "application/json", "User-Agent": "picket-node/0.0.10" };
/** picket-js: `Basic` + two spaces + `btoa(publishableKey)`, JSON on every request, the browser's own User-Agent (§2.2, §2.4). */
const jsHeaders = { Authorization: `Basic  ${b64(publishableKey)}`, "Content-Type": "application/json" };
/** picket-python: requests' HTTPBasicAuth(key, "") and its fixed User-Agent (§2.2, §2.4, §9). */
const pyHeaders = { Authorization: `Basic ${b64(`${secretKey}:`)}`, "Content-Type": "application/json", "User-Agent": "Picket Python Client" };
/** picket-go: `SetBasicAuth(key, "")`, JSON on every request (§2.2, §2.4). */
const goHeaders = { Authorization: `Basic ${b64(`${secretKey}:`)}`, "Content-Type": "application/json", "User-Agent": "picket-go" };

export const picketClients: OfficialClient[] = [
  {
    name: "picket-node 0.0.12",
    source: "picket-api.md §2.2, §3, §4, §8.6, §12",
    requests: [
      // nonce() defaults chain to ethereum and never sends locale (§4.1, §8.6).
      {
        call: "nonce({ walletAddress })",
        method: "POST",
        path: "/auth/nonce",
        headers: nodeHeaders,
        body: JSON.stringify({ chain: "ethereum", walletAddress: wallet }),
        reads: ["nonce", "statement"],
      },
      {
        call: "auth({ walletAddress, signature })",
        method: "POST",
        path: "/auth",
        headers: nodeHeaders,
        body: JSON.stringify({ chain: "ethereum", walletAddress: wallet, signature }),
        reads: userReads,
      },
      {
        call: "authz({ accessToken, requirements })",
        method: "POST",
        path: "/authz",
        headers: nodeHeaders,
        body: JSON.stringify({ accessToken: jwt, requirements: { contractAddress: contract, minTokenBalance: 1 }, revalidate: false }),
        reads: userReads,
      },
      // The Supabase example re-signs the claims and reads `exp` (§4.4).
      {
        call: "validate(accessToken)",
        method: "POST",
        path: "/auth/validate",
        headers: nodeHeaders,
        body: JSON.stringify({ accessToken: jwt }),
        reads: claimReads,
      },
      {
        call: "tokenOwnership({ walletAddress, requirements })",
        method: "POST",
        path: `/chains/ethereum/wallets/${wallet}/tokenOwnership`,
        headers: nodeHeaders,
        body: JSON.stringify({ contractAddress: contract, minTokenBalance: 1 }),
        reads: ["allowed"],
      },
      { call: "chains()", method: "GET", path: "/chains", headers: nodeHeaders, reads: ["data.0.chainSlug", "data.0.chainId"] },
      { call: 'chainInfo("ethereum")', method: "GET", path: "/chains/ethereum", headers: nodeHeaders, reads: ["chainSlug", "chainType"] },
    ],
  },
  {
    name: "picket-js 0.0.102",
    source: "picket-api.md §2.2, §4.1–4.9, §5.2, §7.4, §12",
    requests: [
      {
        call: "nonce({ chain, walletAddress, locale })",
        method: "POST",
        path: "/auth/nonce",
        headers: jsHeaders,
        body: JSON.stringify({ chain: "ethereum", walletAddress: wallet, locale: "en" }),
        reads: ["nonce", "statement", "format"],
      },
      {
        call: "auth({ chain, walletAddress, signature, context }) after a SIWE signature",
        method: "POST",
        path: "/auth",
        headers: jsHeaders,
        body: JSON.stringify({
          chain: "ethereum",
          walletAddress: wallet,
          signature,
          context: {
            domain: "app.example.com",
            uri: "https://app.example.com",
            chainId: 1,
            issuedAt: "2023-03-18T12:00:00.000Z",
            chainType: "ethereum",
            locale: "en",
          },
        }),
        // meetsAuthRequirements reads user.tokenBalances (§5.1).
        reads: userReads,
      },
      {
        call: "auth(...) on a chain without an EVM chain id: chainId left out",
        method: "POST",
        path: "/auth",
        headers: jsHeaders,
        body: JSON.stringify({
          chain: "solana",
          walletAddress: "24R7tFFSvfz8UGt9pb22wtA2coUdhiByfk6gXmTB2iCU",
          signature: "5Fe4KLikp4Y3pHgvpZUVMmNSeZXFH1bQeR7TykN527jezDTYHh9hekGTRdV9g5XbNhzBQMdcA8dygVt8WzzrsBSf",
          context: { domain: "app.example.com", uri: "https://app.example.com", issuedAt: "2023-03-18T12:00:00.000Z", chainType: "solana", locale: "en" },
        }),
        reads: userReads,
      },
      {
        call: "authz({ accessToken, requirements, revalidate })",
        method: "POST",
        path: "/authz",
        headers: jsHeaders,
        body: JSON.stringify({ accessToken: jwt, requirements: { collection: ["G4AWZtqrRnHJnrFom49ujtvJ3Rvup2iiFBwpABh95TSk"] }, revalidate: false }),
        reads: userReads,
      },
      {
        call: "validate(accessToken)",
        method: "POST",
        path: "/auth/validate",
        headers: jsHeaders,
        body: JSON.stringify({ accessToken: jwt }),
        reads: claimReads,
      },
      { call: "chains()", method: "GET", path: "/chains", headers: jsHeaders, reads: ["data.0.chainSlug", "data.0.chainId"] },
      // The SIWE message needs chainId from here (§5.5).
      { call: 'chainInfo("ethereum")', method: "GET", path: "/chains/ethereum", headers: jsHeaders, reads: ["chainId", "chainType", "publicRPC"] },
      {
        call: "oauth2AuthorizationCodeToken(...)",
        method: "POST",
        path: "/oauth2/token",
        headers: jsHeaders,
        body: JSON.stringify({
          grant_type: "authorization_code",
          code_verifier: "CufHLkXBIdFs2emt0fJCZyaJ64OSfrNTFkcOzLAubOU",
          code: "9f4b83f5101cfcebc93af8e01a154345",
          redirect_uri: "https://app.example.com/auth/callback",
        }),
        reads: ["accessToken", "user.walletAddress"],
      },
      {
        call: "loginWithRedirect(...) → the browser goes to getAuthorizationURL()",
        method: "GET",
        path:
          "/oauth2/authorize?client_id=pk_123_456_your_key&redirect_uri=https%3A%2F%2Fapp.example.com%2Fauth%2Fcallback&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" +
          "&code_challenge_method=S256&state=c2tCUk1lR3lJcEtnT1Y&response_mode=code&locale=en&chain=solana" +
          "&tokenIds=7nwVaNCQrcprmapkeVvcFhWUDJ8kpKfbUupVRMVNre5M&tokenIds=4yN93NV3a9AwBv1tcHNUjh3HArSni65bM2LcDXyoc2Nv" +
          "&domain=app.example.com&uri=https%3A%2F%2Fapp.example.com&issuedAt=2023-03-18T12%3A00%3A00.000Z",
        // A navigation: no Authorization header, and the browser accepts HTML.
        headers: { Accept: "text/html,application/xhtml+xml" },
        reads: [],
      },
    ],
  },
  {
    name: "picket-python 0.1.1",
    source: "picket-api.md §2.2, §4.1, §4.2, §4.5, §9, §12",
    requests: [
      {
        call: 'nonce(chain="ethereum", wallet_address=...)',
        method: "POST",
        path: "/auth/nonce",
        headers: pyHeaders,
        body: pyJson({ chain: "ethereum", walletAddress: wallet, locale: "en-US" }),
        reads: ["nonce", "statement"],
      },
      // auth() sends requirements={} and context={} by default (§4.2, §12).
      {
        call: "auth(chain, wallet_address, signature)",
        method: "POST",
        path: "/auth",
        headers: pyHeaders,
        body: pyJson({ chain: "ethereum", walletAddress: wallet, signature, requirements: {}, context: {} }),
        reads: userReads,
      },
      {
        call: "authz(access_token, requirements)",
        method: "POST",
        path: "/authz",
        headers: pyHeaders,
        body: pyJson({ accessToken: jwt, requirements: { contractAddress: contract }, revalidate: false }),
        reads: userReads,
      },
      // AuthorizedUser.from_dict reads the user fields, tokenBalances unconditionally (§4.4, §12).
      {
        call: "validate(access_token)",
        method: "POST",
        path: "/auth/validate",
        headers: pyHeaders,
        body: pyJson({ accessToken: jwt }),
        reads: ["chain", "walletAddress", "displayAddress", "tokenBalances"],
      },
      // **kwargs go flat, camelCased (§4.5).
      {
        call: "token_ownesrhip(chain, wallet_address, contract_address=..., min_token_balance=...)",
        method: "POST",
        path: `/chains/ethereum/wallets/${wallet}/tokenOwnership`,
        headers: pyHeaders,
        body: pyJson({ contractAddress: contract, minTokenBalance: "1" }),
        reads: ["allowed", "tokenBalances"],
      },
    ],
  },
  {
    name: "picket-go",
    source: "picket-api.md §2.2, §4, §5.2, §8.2–8.5, §12",
    requests: [
      {
        call: "Nonce(NonceArgs{...})",
        method: "POST",
        path: "/auth/nonce",
        headers: goHeaders,
        // The struct tag sends `wallet_address` and always sends locale (§4.1, §8.2).
        body: JSON.stringify({ chain: "ethereum", wallet_address: wallet, locale: "" }),
        reads: [],
        refused: {
          status: 400,
          because:
            "picket-go tags the field `wallet_address`; every other client and the docs send `walletAddress`, and the notes judge it a client bug (§8.2), so the document keeps `walletAddress` required",
        },
      },
      {
        call: "Auth(AuthArgs{...}): requirements {} and a context of empty strings",
        method: "POST",
        path: "/auth",
        headers: goHeaders,
        body: JSON.stringify({
          chain: "ethereum",
          walletAddress: wallet,
          signature,
          requirements: {},
          context: { domain: "", uri: "", chainId: "", issuedAt: "", chainType: "", locale: "" },
        }),
        reads: ["accessToken", "user.chain", "user.walletAddress", "user.displayAddress"],
      },
      {
        call: "Auth(AuthArgs{...}) with a SIWE context: chainId as a string",
        method: "POST",
        path: "/auth",
        headers: goHeaders,
        body: JSON.stringify({
          chain: "polygon",
          walletAddress: wallet,
          signature,
          requirements: {},
          context: {
            domain: "app.example.com",
            uri: "https://app.example.com",
            chainId: "137",
            issuedAt: "2023-03-18T12:00:00.000Z",
            chainType: "ethereum",
            locale: "en",
          },
        }),
        reads: ["accessToken", "user.walletAddress"],
      },
      {
        call: "Authz(AuthzArgs{...})",
        method: "POST",
        path: "/authz",
        headers: goHeaders,
        body: JSON.stringify({ accessToken: jwt, requirements: { contractAddress: contract, minTokenBalance: "1" }, revalidate: false }),
        reads: ["accessToken", "user.walletAddress"],
      },
      {
        call: "Validate(ValidateArgs{...})",
        method: "POST",
        path: "/auth/validate",
        headers: goHeaders,
        body: JSON.stringify({ accessToken: jwt, requirements: {} }),
        reads: ["chain", "walletAddress", "displayAddress"],
      },
      {
        call: "TokenOwnership(...): the requirements struct, flat, omitempty",
        method: "POST",
        path: `/chains/solana/wallets/24R7tFFSvfz8UGt9pb22wtA2coUdhiByfk6gXmTB2iCU/tokenOwnership`,
        headers: goHeaders,
        body: JSON.stringify({ collection: "G4AWZtqrRnHJnrFom49ujtvJ3Rvup2iiFBwpABh95TSk", minTokenBalance: "1" }),
        reads: ["allowed"],
      },
    ],
  },
];

const apiKey = "puid_live_4kT9sQ2mZx7LbR1nVw8cYp3J";
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const ids = ["ids", "count", "quota.used", "quota.limit"];
const quota = ["plan", "used", "limit", "remaining"];
const clientCredentials = {
  grant_type: "client_credentials",
  client_id: "client_Q3b8ZkW1nR5tYp2L",
  client_secret: "secret_Vt6nB1xK9qLm3Zr7Ps2Wd8Hy4Jc0Fe5G",
  scope: "puid:generate",
};

/** Both PUID clients send exactly one credential and `Accept: application/json` (puid-api.md §2). */
function puidClient(name: string, source: string, userAgent: Record<string, string>): OfficialClient {
  const key = { "X-API-Key": apiKey, Accept: "application/json", ...userAgent };
  const bearer = { Authorization: "Bearer puid_at_9fJ2kLmN4pQ7rS1tUv3wXy5zA8bC0dEh", Accept: "application/json", ...userAgent };
  return {
    name,
    source,
    requests: [
      { call: "ids(3)", method: "GET", path: "/v1/ids?n=3", headers: key, reads: ids },
      { call: "id()", method: "GET", path: "/v1/ids?n=1", headers: key, reads: ["ids.0"] },
      { call: "ordinal(id), the id percent-encoded", method: "GET", path: "/v1/ordinal/64qAN39GjJh5kbi4HROOxh", headers: key, reads: ["ordinal"] },
      { call: "quota()", method: "GET", path: "/v1/quota", headers: key, reads: quota },
      { call: "quota() with an access token", method: "GET", path: "/v1/quota", headers: bearer, reads: quota },
      // Form-encoded, credentials in the body (§4.4). Valid against the document; production's
      // CSRF gate refuses it without a same-origin Origin (§14), which the document describes as 403.
      {
        call: "fromClientCredentials(clientId, clientSecret)",
        method: "POST",
        path: "/oauth/token",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...userAgent },
        body: form(clientCredentials),
        reads: ["access_token", "token_type", "expires_in"],
      },
      // The SDK test suites' liveness probe (§1).
      {
        call: "GET {endpoint}/openapi.json (the test suites' liveness probe)",
        method: "GET",
        path: "/openapi.json",
        headers: { Accept: "application/json", ...userAgent },
        reads: ["openapi", "paths"],
      },
    ],
  };
}

export const puidClients: OfficialClient[] = [
  puidClient("@puid-dev/client 1.0.0 (JavaScript)", "puid-api.md §2, §3, §4.4, §6", {}),
  puidClient("puid-client 1.0.0 (Python)", "puid-api.md §2, §3, §4.4, §6", { "User-Agent": "python-requests/2.31.0" }),
];
