#!/usr/bin/env node
// `npm start`: start the PUID and Picket emulators in this process, run examples/tour.ts against
// them, stop them. One process: Ctrl-C (or SIGTERM) closes the servers and exits, leaving nothing behind.

/** @type {import("../examples/tour.ts").TourEmulators | undefined} */
let emulators;
let stopping = false;
const stop = async (/** @type {number} */ code) => {
  if (stopping) return; // a second Ctrl-C while the servers close changes nothing
  stopping = true;
  if (code !== 0 && code !== 1) console.log = console.info = () => {}; // interrupted: the rest of the tour stays quiet
  // The servers live in this process, so exiting ends them anyway; give them a moment to close cleanly.
  await Promise.race([emulators?.close(), new Promise((resolve) => setTimeout(resolve, 500))]);
  process.exit(code);
};
process.on("SIGINT", () => void stop(130));
process.on("SIGTERM", () => void stop(143));

try {
  const { startEmulators, tour } = await import("../examples/tour.ts");
  emulators = await startEmulators();
  if (!stopping) await tour(emulators);
  await stop(0);
} catch (error) {
  if (!stopping) console.error(error);
  await stop(1);
}
