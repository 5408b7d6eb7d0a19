import { Puid } from "picket-puid/puid";

// Client credentials: the client renews its token by itself.
const puid = await Puid.fromClientCredentials({
  clientId: process.env.PUID_CLIENT_ID!,
  clientSecret: process.env.PUID_CLIENT_SECRET!,
  scope: "puid:generate",
});
console.log(await puid.ids(2));

// For a user's team: Puid.authorizationUrl sends the browser to the
// authorize page, and Puid.fromAuthorizationCode exchanges the code it
// comes back with (then renews with the refresh token by itself).
