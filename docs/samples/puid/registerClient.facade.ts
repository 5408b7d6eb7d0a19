import { Puid } from "picket-puid/puid";

const client = await Puid.registerClient({
  clientName: "My App",
  redirectUris: ["https://app.example/cb"],
});
console.log(client.client_id); // keep client.client_secret safe: it is shown once
