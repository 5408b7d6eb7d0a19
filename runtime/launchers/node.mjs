// Node launcher (any Node version): `node node.mjs <puidUrl> <picketUrl>`, from a project that
// installed picket-puid, so the imports below resolve through the package's `exports`.
import * as root from "picket-puid";
import * as puid from "picket-puid/puid";
import * as picket from "picket-puid/picket";
import { report } from "../smoke.mjs";

const [puidUrl, picketUrl] = process.argv.slice(2);
await report(`node ${process.versions.node}`, { puidUrl, picketUrl, puid, picket, root }, () => (process.exitCode = 1));
