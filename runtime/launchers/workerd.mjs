// workerd launcher: the entry of an esbuild ESM bundle, run as a Worker by `workerd test`. The
// mock URLs are text bindings. The outcome is logged on one line that starts with SMOKE_RESULT
// (workerd prints no version inside the Worker, so the driver names it), and a failure also
// fails the test, so workerd exits non-zero.
import * as root from "picket-puid";
import * as puid from "picket-puid/puid";
import * as picket from "picket-puid/picket";
import { describeFailure, describeSmoke, smoke } from "../smoke.mjs";

export default {
  /**
   * @param {unknown} _controller
   * @param {{ PUID_URL: string, PICKET_URL: string }} env the text bindings of the driver's config
   */
  async test(_controller, env) {
    let result;
    try {
      result = { ok: true, detail: describeSmoke(await smoke({ puidUrl: env.PUID_URL, picketUrl: env.PICKET_URL, puid, picket, root })) };
    } catch (error) {
      result = { ok: false, detail: describeFailure(error) };
    }
    console.log(`SMOKE_RESULT ${JSON.stringify(result)}`);
    if (!result.ok) throw new Error(result.detail);
  },
};
