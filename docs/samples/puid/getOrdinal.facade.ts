import { Puid } from "picket-puid/puid";

const puid = new Puid({ apiKey: process.env.PUID_API_KEY! });

const ordinal = await puid.ordinal("64qAN39GjJh5kbi4HROOxh"); // 1n — a bigint, exact up to 2^128 − 1
console.log(ordinal);
