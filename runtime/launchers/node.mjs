// Node launcher (any Node version): `node node.mjs <puidUrl> <picketUrl>`, from a project that
// installed picket-puid, so the imports below resolve through the package's `exports`.
import * as root from "picket-puid";
import * as puid from "picket-puid/puid";
import * as picket from "picket-puid/picket";
import { describeFailure, describeSmoke, smoke } from "../smoke.mjs";

const [puidUrl, picketUrl] = process.argv.slice(2);
const name = `node ${process.versions.node}`;
try {
  console.log(`${name}: ok (${describeSmoke(await smoke({ puidUrl, picketUrl, puid, picket, root }))})`);
} catch (error) {
  console.log(`${name}: FAILED (${describeFailure(error)})`);
  console.error(error);
  process.exitCode = 1;
}
