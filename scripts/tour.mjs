#!/usr/bin/env node
// `npm start`: start Prism for both documents, run examples/tour.ts against them, stop them.
// One process: Ctrl-C (or SIGTERM) closes the mocks and exits, leaving nothing behind.
import net from "node:net";
import { startMocks } from "./mock.mjs";

/** A loopback address where nothing listens: a port that was free a moment ago. */
async function unreachable() {
  const server = net.createServer();
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const mocks = await startMocks();
let stopping = false;
const stop = async (/** @type {number} */ code) => {
  if (stopping) return; // a second Ctrl-C while the mocks close changes nothing
  stopping = true;
  if (code !== 0 && code !== 1) console.log = () => {}; // interrupted: the rest of the tour stays quiet
  // The mocks live in this process, so exiting ends them anyway; give them a moment to close cleanly.
  await Promise.race([mocks.close(), new Promise((resolve) => setTimeout(resolve, 500))]);
  process.exit(code);
};
process.on("SIGINT", () => stop(130));
process.on("SIGTERM", () => stop(143));

try {
  const { tour } = await import("../examples/tour.ts");
  await tour({ puid: mocks.puid.url, picket: mocks.picket.url, unreachable: await unreachable() });
  await stop(0);
} catch (error) {
  if (!stopping) console.error(error);
  await stop(1);
}
