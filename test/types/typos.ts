// Type test (compiled by `npm run typecheck`, never run): a misspelt or misplaced field on what a
// facade takes is a compile error — no index signature swallows it. Each `@ts-expect-error`
// fails the typecheck if the line below it compiles.
import { createSigningMessage, Picket } from "picket-puid/picket";
import { createPuidClient, Puid } from "picket-puid/puid";

export async function typos(picket: Picket, puid: Puid, walletAddress: string, signature: string, accessToken: string): Promise<void> {
  const context = { domain: "app.example.com", uri: "https://app.example.com", issuedAt: "2026-12-01T10:00:00.000Z", chainType: "ethereum" };

  // The right names compile…
  await picket.auth({ walletAddress, signature, context: { ...context, chainId: 1 } });
  // …and picket-node's stale chainID is caught, on a request object as on its context.
  // @ts-expect-error chainId, not chainID
  await picket.auth({ walletAddress, signature, context: { ...context, chainID: 1 } });
  // @ts-expect-error chainId, not chainID
  createSigningMessage({ format: "siwe", statement: "s", walletAddress, nonce: "n", ...context, chainID: 1 });

  // @ts-expect-error walletAddress, misspelt
  await picket.nonce({ walletAdress: walletAddress });
  // @ts-expect-error contractAddress, misspelt, inside requirements
  await picket.authz({ accessToken, requirements: { contractAdress: "0xa3305F188cb610900F9E347FaE886dC6507795ec" } });
  // @ts-expect-error minTokenBalance, misspelt, among the flat requirement fields
  await picket.tokenOwnership({ walletAddress, contractAddress: "0xa3305F188cb610900F9E347FaE886dC6507795ec", minTokenBalanse: 1 });
  // @ts-expect-error revalidate, misspelt
  await picket.authz({ accessToken, requirements: {}, revalidated: true });
  // @ts-expect-error validate's requirements, misspelt
  await picket.validate(accessToken, { allowedWallet: [walletAddress] });

  // Options are checked the same way: a name of the other API's client is no option here.
  // @ts-expect-error endpoint is the PUID client's name; Picket's is baseURL
  new Picket("sk_x", { endpoint: "https://picketapi.com/api/v1" });
  // @ts-expect-error baseURL is the Picket client's name; PUID's is endpoint
  new Puid({ apiKey: "puid_live_x", baseURL: "https://puid.dev/api" });
  // @ts-expect-error baseURL is the Picket client's name; PUID's is endpoint
  createPuidClient({ apiKey: "puid_live_x", baseURL: "https://puid.dev/api" });
  // @ts-expect-error endpoint is the PUID client's name; Picket's is baseURL
  await Picket.authorizationUrl({ clientId: "pk_x", redirectUri: "https://app.example/cb", endpoint: "https://picketapi.com/api/v1" });
  // @ts-expect-error baseURL is the Picket client's name; PUID's is endpoint
  await Puid.fromClientCredentials({ clientId: "client_x", clientSecret: "secret_x", baseURL: "https://puid.dev/api" });
  // @ts-expect-error timeout, miscapitalised, on a call's options
  await puid.ids(3, { timeOut: 5_000 });
  // @ts-expect-error maxRetries, misspelt, on a call's options
  await picket.chains({ maxRetry: 1 });
  // @ts-expect-error exactly one credential: both is a compile error too
  new Puid({ apiKey: "puid_live_x", accessToken: "puid_at_x" });
}
