import { Picket } from "picket-puid/picket";

const picket = new Picket(process.env.PICKET_SECRET_KEY);

const { nonce, statement, format } = await picket.nonce({
  walletAddress: "0xA548e4F3A1a5a9a4C3F6b1C0dB8e3a2F7e9D1c4B",
  locale: "en-US",
});
console.log(nonce, statement, format); // chain defaults to "ethereum"; the nonce lives two minutes
