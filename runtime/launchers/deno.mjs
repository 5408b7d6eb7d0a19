// Deno launcher: `deno run --allow-net=127.0.0.1 deno.mjs <puidUrl> <picketUrl>`, from a project
// with a package.json and node_modules holding picket-puid (Deno's "manual" node_modules mode),
// so the bare imports below resolve through the package's `exports`.
import * as root from "picket-puid";
import * as puid from "picket-puid/puid";
import * as picket from "picket-puid/picket";
import { report } from "../smoke.mjs";

const [puidUrl, picketUrl] = Deno.args;
await report(`deno ${Deno.version.deno}`, { puidUrl, picketUrl, puid, picket, root }, () => (Deno.exitCode = 1));
