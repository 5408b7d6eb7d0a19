import { defineConfig } from "vitest/config";

/**
 * Tests that measure timing across processes at a real server (the fleet's request rate) run in
 * a group of their own, after every other file: two cores shared with the rest of the suite would
 * measure the machine, not the package.
 */
const ALONE = ["test/fleet.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: ALONE,
          // One Prism per document for the whole run; tests read the URLs with inject().
          globalSetup: ["test/global-setup.ts"],
        },
      },
      {
        extends: true,
        test: { name: "alone", include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
