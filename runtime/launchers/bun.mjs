// Bun launcher: `bun --no-install bun.mjs <puidUrl> <picketUrl>`, from a project that installed
// picket-puid, so the imports below resolve through the package's `exports`.
import * as root from "picket-puid";
import * as puid from "picket-puid/puid";
import * as picket from "picket-puid/picket";
import { report } from "../smoke.mjs";

const [puidUrl, picketUrl] = Bun.argv.slice(2);
await report(`bun ${Bun.version}`, { puidUrl, picketUrl, puid, picket, root }, () => (process.exitCode = 1));
