// ESLint with typescript-eslint's type-aware rules: every file is linted with the types of the
// TypeScript project that checks it, so rules such as no-floating-promises see what a call
// returns. Formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

/** The type-aware rules about values typed `any`, off where untyped JSON is what a file works with. */
const UNTYPED_JSON = {
  "@typescript-eslint/no-unsafe-assignment": "off",
  "@typescript-eslint/no-unsafe-member-access": "off",
  "@typescript-eslint/no-unsafe-argument": "off",
  "@typescript-eslint/no-unsafe-call": "off",
  "@typescript-eslint/no-unsafe-return": "off",
};

export default defineConfig(
  globalIgnores(["dist/", "site/", ".tmp/", "test-results/", "coverage/", "src/generated/", "**/*.d.ts"]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // The projects `npm run typecheck` runs: each file is linted with the types it is checked with.
        project: ["./tsconfig.json", "./tsconfig.node.json", "./tsconfig.test.json", "./tsconfig.samples.json", "./tsconfig.tools.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // TypeScript checks every file, JavaScript included (checkJs), and knows the globals of each runtime.
      "no-undef": "off",
      // A promise nobody awaits, returns or marks `void` hides its failure.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // Unused code goes; a leading underscore marks what is unused on purpose (a rest sibling, a
      // parameter a signature needs).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          args: "after-used",
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
          caughtErrors: "none",
        },
      ],
      // A rejection we make is an Error; passing on one we did not make (a caught value, an
      // AbortSignal's reason) keeps it as it is, as only-throw-error allows for `throw`.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
      // `interface PuidQuota extends SchemaQuotaResponse {}` gives a generated schema a public name
      // that editors and TypeDoc show; an empty interface or `{}` anywhere else is still refused.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    // The tools (build, docs, CI helpers, benchmarks, the runtime matrix) are JavaScript checked
    // through JSDoc; they read JSON whose shape they own (package.json, vitest's report, a child
    // process's answer), and a JSDoc cast at every JSON.parse would add noise, not safety. The
    // promise rules and everything else still hold there.
    files: ["scripts/**", "bench/**", "runtime/**"],
    rules: UNTYPED_JSON,
  },
  {
    // Tests read JSON from servers and processes, and fake runtimes: untyped values are their
    // material. The promise rules and unused-code rules still hold there.
    files: ["test/**"],
    rules: {
      ...UNTYPED_JSON,
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // Compiled against the packed package by scripts/check-package.mjs, not by a project here; and this file.
    files: ["test/consumer/**", "eslint.config.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
