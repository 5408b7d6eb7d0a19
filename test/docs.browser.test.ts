// The docs site in a real browser: Debian's Chromium, headless, driven by playwright-core.
// The site is served on 127.0.0.1:0 and every request that leaves loopback is blocked and counted.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "../scripts/docs.mjs";
import { serveStatic } from "../scripts/serve.mjs";
import { operations, document } from "./support/spec.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = fs.existsSync(CHROMIUM);
const shots = path.resolve("test-results", "docs");

// In CI a missing browser is a failure; on a developer's machine without Chromium the suite is
// reported as skipped, with the way to get it.
if (!available && process.env.CI) {
  test("Chromium is installed for the docs browser test", () => {
    throw new Error(`No browser at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install chromium).`);
  });
}

describe.skipIf(!available)("docs site in Chromium (apt-get install chromium to run locally)", () => {
  let browser: Browser;
  let site: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    build();
    site = await serveStatic("site");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    fs.mkdirSync(shots, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /** Open a page with loopback-only networking; report console errors and blocked requests. */
  async function open(file: string) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const left: string[] = [];
    const errors: string[] = [];
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === "data:" || url.protocol === "blob:" || url.hostname === "127.0.0.1") return route.continue();
      left.push(url.href);
      return route.abort();
    });
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${site.url}/${file}`, { waitUntil: "networkidle" });
    return { page, left, errors };
  }

  async function screenshot(page: Page, name: string) {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    console.log(`screenshot: ${file}`);
  }

  test("index.html introduces the package and links the three ways in", async () => {
    const { page, left, errors } = await open("index.html");
    await expect.poll(() => page.getByRole("heading", { name: /picket-puid/ }).isVisible(), { timeout: 15_000 }).toBe(true);
    for (const text of ["npm install picket-puid", "The facade", "Typed path calls", "The HTTP API"]) {
      expect(await page.getByText(text).first().isVisible(), text).toBe(true);
    }
    for (const href of ["puid.html", "picket.html", "sdk/index.html"]) {
      expect(await page.locator(`a[href="${href}"]`).count(), href).toBeGreaterThan(0);
    }
    await screenshot(page, "index");
    expect(errors).toEqual([]);
    expect(left).toEqual([]);
    await page.close();
  });

  for (const api of ["puid", "picket"] as const) {
    // One retry: on a loaded 2-core machine the page can miss a step's time limit; a real defect
    // fails both tries. A failed try leaves a screenshot (`<api>-failed.png`) for diagnosis.
    test(`${api}.html: every operation, search, code samples, offline`, { retry: 1, timeout: 90_000 }, async ({ onTestFailed }) => {
      const { page, left, errors } = await open(`${api}.html`);
      onTestFailed(async () => {
        await screenshot(page, `${api}-failed`).catch(() => undefined);
      });
      // The search box reads "Loading…" until the search index is ready.
      await expect
        .poll(
          () =>
            page
              .getByText(/^Search/)
              .first()
              .isVisible(),
          { timeout: 15_000 },
        )
        .toBe(true);

      // Every operation's summary shows once its tag's page is open.
      const doc = document(api);
      for (const tag of doc.tags as { name: string }[]) {
        await page.locator('a[href^="/"]:not([href^="/section"])').getByText(tag.name, { exact: true }).first().click();
        for (const op of operations(api).filter((o) => doc.paths[o.path][o.method].tags?.[0] === tag.name)) {
          const summary = doc.paths[op.path][op.method].summary as string;
          await expect.poll(() => page.getByText(summary, { exact: true }).first().isVisible(), { message: summary, timeout: 15_000 }).toBe(true);
        }
      }
      const tagged = operations(api).filter((o) => (doc.tags as { name: string }[]).some((t) => t.name === doc.paths[o.path][o.method].tags?.[0]));
      expect(tagged).toHaveLength(operations(api).length);

      // The search box finds an operation.
      const first = operations(api)[0]!;
      const summary = doc.paths[first.path][first.method].summary as string;
      // The search dialog opens with its input focused. Under load it can take seconds to open,
      // a second click meanwhile closes it again, and a navigation still settling can close it
      // after it opened: so each try waits long, and starts over if the dialog went away.
      const input = page.getByPlaceholder("Search docs...");
      // The result for the operation (the search dialog renders last on the page).
      const result = page.getByText(summary, { exact: true }).last();
      const visible = (locator: typeof input, timeout: number) =>
        locator.waitFor({ state: "visible", timeout }).then(
          () => true,
          () => false,
        );
      for (let tries = 1; ; tries++) {
        if (!(await input.isVisible()))
          await page
            .getByText(/^Search/)
            .first()
            .click();
        if (await visible(input, 8_000)) {
          await input.fill(summary);
          if ((await visible(result, 8_000)) && (await input.isVisible())) break;
        }
        if (tries === 4) throw new Error(`the search dialog did not show "${summary}" in four tries`);
      }
      expect(await input.inputValue()).toBe(summary);
      await screenshot(page, `${api}-search`);
      await result.click();
      await expect.poll(() => decodeURIComponent(page.url()).toLowerCase(), { timeout: 10_000 }).toContain(`/${first.operationId.toLowerCase()}`);

      // The code samples show: the facade call of the operation just found.
      const facade = fs.readFileSync(`docs/samples/${api}/${first.operationId}.facade.ts`, "utf8");
      const line = facade
        .split("\n")
        .find((l) => l.includes("await"))!
        .trim();
      await expect.poll(() => page.getByText("TypeScript (facade)").first().isVisible(), { timeout: 10_000 }).toBe(true);
      await expect
        .poll(
          () =>
            page
              .locator("pre, code")
              .filter({ hasText: line.slice(0, 30) })
              .first()
              .isVisible(),
          { timeout: 15_000 },
        )
        .toBe(true);
      await screenshot(page, api);

      expect(errors).toEqual([]);
      expect(left).toEqual([]);
      await page.close();
    });
  }

  test("sdk/: the TypeScript reference lists the entries, and the facades, errors, emulators and Redis coordination in them", async () => {
    const { page, left, errors } = await open("sdk/index.html");
    for (const name of ["picket-puid", "picket-puid/emulator", "picket-puid/redis"]) {
      await expect.poll(() => page.getByRole("link", { name, exact: true }).first().isVisible(), { message: name, timeout: 15_000 }).toBe(true);
    }
    await screenshot(page, "sdk");
    expect(errors).toEqual([]);
    expect(left).toEqual([]);
    await page.close();
    for (const [module, names] of [
      ["picket-puid", ["Puid", "Picket", "PuidError", "PicketError"]],
      ["picket-puid_emulator", ["createPuidEmulator", "createPicketEmulator"]],
      ["picket-puid_redis", ["createRedisCoordination"]],
    ] as const) {
      const opened = await open(`sdk/modules/${module}.html`);
      for (const name of names) {
        await expect
          .poll(() => opened.page.getByRole("link", { name, exact: true }).first().isVisible(), { message: `${module}: ${name}`, timeout: 15_000 })
          .toBe(true);
      }
      expect(opened.errors).toEqual([]);
      expect(opened.left).toEqual([]);
      await opened.page.close();
    }
  });
});
