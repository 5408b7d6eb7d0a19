import { Puid } from "picket-puid/puid";

// Client credentials: the client renews its token by itself.
const puid = await Puid.fromClientCredentials({
  clientId: process.env.PUID_CLIENT_ID!,
  clientSecret: process.env.PUID_CLIENT_SECRET!,
  scope: "puid:generate",
});
console.log(await puid.ids(2));

// Authorization code with PKCE: send the user to `url`, then exchange the code.
const { url, codeVerifier, state } =
  await Puid.authorizationUrl({
    clientId: "client_Q3b8ZkW1nR5tYp2L",
    redirectUri: "https://app.example/cb",
  });
console.log(url, state);
const asUser = await Puid.fromAuthorizationCode({
  clientId: "client_Q3b8ZkW1nR5tYp2L",
  code: "code_from_redirect",
  codeVerifier,
  redirectUri: "https://app.example/cb",
});
console.log(await asUser.quota());
