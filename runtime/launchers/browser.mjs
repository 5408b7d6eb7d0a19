// Browser launcher: the entry of an esbuild ESM bundle loaded by a page. The mock URLs come in the
// page's query string; the outcome goes to `globalThis.__smoke` for the driver to read, and to the
// console. The driver names the browser and its version in the printed line.
import * as root from "picket-puid";
import * as puid from "picket-puid/puid";
import * as picket from "picket-puid/picket";
import { describeFailure, describeSmoke, smoke } from "../smoke.mjs";

const query = new URL(globalThis.location.href).searchParams;
try {
  const detail = describeSmoke(await smoke({ puidUrl: query.get("puid"), picketUrl: query.get("picket"), puid, picket, root, browser: true }));
  globalThis.__smoke = { ok: true, detail };
  console.log(`ok (${detail})`);
} catch (error) {
  globalThis.__smoke = { ok: false, detail: describeFailure(error) };
  console.error(error);
}
