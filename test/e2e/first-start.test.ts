// A newcomer's first start: no account, a one-time setup link in the output, the browser creates the admin through
// it and lands signed in; the link then no longer works.
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import { TEST_PASSWORD } from "../support/auth";
import { chromiumAvailable, launchChromium } from "../support/browser";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { waitFor } from "../support/test-server";

describe.skipIf(!chromiumAvailable())("first start in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    await ensureDashboardBuilt(PROJECT_ROOT, console.log);
    server = await startServerProcess({ SWEEPBOARD_WORKERS: "0" }, { withAdmin: false });
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("creates the admin account through the printed setup link, once", async () => {
    const link = await waitFor(() => /http:\/\/localhost:\d+\/setup\?token=[\w-]+/.exec(server.output())?.[0], 10_000, "the setup link");
    const setupUrl = link.replace(/^http:\/\/localhost:\d+/, server.url);
    const page = await browser.newPage();
    await page.goto(setupUrl);
    await page.fill('[data-testid="setup-email"]', "owner@example.com");
    await page.fill('[data-testid="setup-password"]', TEST_PASSWORD);
    await page.screenshot({ path: join(tmpdir(), "sweepboard-setup.png") });
    await page.click('[data-testid="setup-submit"]');
    await page.waitForURL(`${server.url}/`);
    await expect.poll(() => page.getByTestId("signed-in").textContent()).toContain("Admin");
    // Spent: the same link shows that setup is closed, and the API refuses it.
    await page.goto(setupUrl);
    expect(await page.textContent("body")).toContain("Setup is closed");
    const token = new URL(setupUrl).searchParams.get("token");
    const again = await fetch(`${server.url}/api/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, email: "intruder@example.com", name: "x", password: TEST_PASSWORD }),
    });
    expect(again.status).toBe(401);
    expect(server.output()).not.toContain(TEST_PASSWORD);
  }, 120_000);
});
