import { Puid } from "picket-puid/puid";

const metadata = await Puid.authorizationServerMetadata();
console.log(metadata.token_endpoint, metadata.scopes_supported);
