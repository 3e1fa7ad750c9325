// Walks the product as a user: define a sweep in the form, watch it train live (no reload, no polling),
// promote the best trial, download the model, and reload it with plain tfjs in a separate process.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../server/app-server";
import type { LeaderboardPage, SweepCurves, SweepSnapshot } from "../../server/sweeps/types";
import { chromiumAvailable, launchChromium } from "../support/browser";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import { TEST_PASSWORD } from "../support/auth";
import { ADMIN_EMAIL, startServerProcess, type ServerProcess } from "../support/server-process";

const run = promisify(execFile);

describe.skipIf(!chromiumAvailable())("sweep flow in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureDashboardBuilt(PROJECT_ROOT, console.log);
    server = await startServerProcess({ SWEEPBOARD_WORKERS: "2" });
    browser = await launchChromium();
    page = await browser.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("defines a sweep, streams it live, promotes and downloads a model that reloads elsewhere", async () => {
    // Signed out, the page sends us to sign in first, and back after.
    await page.goto(`${server.url}/sweeps/new`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('[data-testid="login-email"]', ADMIN_EMAIL);
    await page.fill('[data-testid="login-password"]', TEST_PASSWORD);
    await page.click('[data-testid="login-submit"]');
    await page.waitForURL(`${server.url}/sweeps/new`);
    await page.fill('[name="name"]', "e2e-sweep");
    await page.fill('[name="subset"]', "1200");
    await page.fill('[name="learning_rate.min"]', "0.002");
    await page.fill('[name="learning_rate.max"]', "0.004");
    await page.fill('[name="filters"]', "8");
    await page.fill('[name="kernel_size"]', "3");
    await page.fill('[name="units.min"]', "32");
    await page.fill('[name="units.max"]', "48");
    await page.fill('[name="batch_size"]', "32");
    for (const box of await page.locator('[name="optimizer"]').all()) await box.setChecked((await box.getAttribute("value")) === "adam");
    await page.fill('[name="epochs"]', "2");
    await page.fill('[name="max_trials"]', "2");
    await page.fill('[name="concurrency"]', "2");
    await page.fill('[name="seed"]', "5");

    // Count page loads and API reads from here on: the sweep page must fetch once and then only listen.
    let documentLoads = 0;
    const snapshotFetches: string[] = [];
    page.on("framenavigated", (frame) => frame === page.mainFrame() && (documentLoads += 1));
    page.on("request", (request) => {
      if (/\/api\/sweeps\/[0-9a-f-]{36}(\?|$)/.test(request.url())) snapshotFetches.push(request.url());
    });
    await page.getByRole("button", { name: "Create sweep" }).click();
    await page.waitForURL(/\/sweeps\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const sweepId = page.url().split("/").pop()!;
    const loadsAfterLanding = documentLoads;
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));

    // Rows appear, metric cells fill in epoch by epoch, and every trial completes, all without a reload.
    const row = page.getByTestId("trial-row-0");
    await row.waitFor({ timeout: 60_000 });
    const seen = new Set<string>();
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      seen.add(`${await row.getAttribute("data-state")}|${await page.getByTestId("trial-metric-0").textContent()}|${await row.textContent()}`);
      const states = await page.locator('[data-testid^="trial-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state")));
      if (states.length === 2 && states.every((s) => s === "complete")) break;
      await page.waitForTimeout(100);
    }
    await expect.poll(() => page.getByTestId("sweep-status").textContent(), { timeout: 30_000 }).toMatch(/finished/i);
    // The same row was seen with a metric at epoch 1, then again changed in place (epoch 2 and/or complete).
    const withMetric = [...seen].filter((text) => /^\w+\|\s*\d/.test(text));
    expect(withMetric.length, `row states seen: ${[...seen].join("\n")}`).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    expect(documentLoads).toBe(loadsAfterLanding);
    // One snapshot read; after it the page only listens (and re-reads bounded leaderboard pages and curves).
    expect(snapshotFetches.length).toBeLessThanOrEqual(1);

    const snapshot = (await (await server.fetch(`/api/sweeps/${sweepId}`)).json()) as SweepSnapshot;
    expect(snapshot.sweep.status).toBe("finished");
    const { rows } = (await (await server.fetch(`/api/sweeps/${sweepId}/trials?sort=number&order=asc`)).json()) as LeaderboardPage;
    const curves = (await (await server.fetch(`/api/sweeps/${sweepId}/curves?trials=${rows.map((r) => r.id).join(",")}`)).json()) as SweepCurves;
    expect(rows).toHaveLength(2);
    for (const trial of rows) {
      expect(trial.state).toBe("complete");
      expect(curves.series.find((s) => s.trialId === trial.id)!.points.map(([epoch]) => epoch)).toEqual([1, 2]);
      expect(trial.metrics.val_accuracy).toBeGreaterThan(0.5);
    }
    // Both trials are drawn on the chart.
    await expect.poll(() => page.getByTestId("learning-curves").getAttribute("data-series")).toBe("2");

    // Promote the best trial and download its model.
    const best = rows.find((r) => r.rank === 1)!;
    await page.getByTestId(`promote-${best.number}`).click();
    const download = page.getByTestId(`download-${best.number}`);
    await download.waitFor({ timeout: 30_000 });
    const href = await download.getAttribute("href");
    expect(href).toMatch(/^\/api\/models\/[0-9a-f-]{36}\/download$/);
    const response = await server.fetch(href!);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const zipPath = join(mkdtempSync(join(tmpdir(), "sweepboard-model-")), "model.zip");
    writeFileSync(zipPath, Buffer.from(await response.arrayBuffer()));

    // A clean process with plain tfjs reproduces the test accuracy the dashboard shows.
    const { stdout } = await run(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "test/support/reload-model.ts"), zipPath], { cwd: PROJECT_ROOT });
    const reloaded = JSON.parse(stdout.trim().split("\n").pop()!) as { test_accuracy: number; images: number };
    expect(Math.abs(reloaded.test_accuracy - best.metrics.test_accuracy)).toBeLessThanOrEqual(1 / reloaded.images + 1e-9);
    await expect.poll(() => page.getByTestId(`trial-row-${best.number}`).textContent()).toContain(best.metrics.test_accuracy.toFixed(3));

    // The trial's detail: per-class precision / recall / F1, the confusion matrix and sample test predictions.
    await page.getByTestId(`details-${best.number}`).click();
    const evaluation = page.getByTestId(`trial-evaluation-${best.number}`);
    await evaluation.waitFor({ timeout: 30_000 });
    expect(await evaluation.getByTestId("confusion-matrix").locator("tbody tr").count()).toBe(10);
    expect(await evaluation.getByTestId("class-metrics").locator("tbody tr").count()).toBe(11); // 10 classes + macro
    expect(await evaluation.getByTestId("sample-predictions").locator("canvas").count()).toBe(12);
    expect(await evaluation.textContent()).toContain("T-shirt/top");

    // The home page lists the local worker with the engine it trains on.
    await page.goto(server.url);
    const workerRow = page.locator('[data-testid^="worker-row-"]').first();
    await expect.poll(() => workerRow.textContent()).toMatch(/wasm(\+native)?.*cores\)/);

    // Settings: a worker token is shown once, listed by its prefix, and revoked.
    await page.goto(`${server.url}/settings`);
    await page.fill('[data-testid="token-name"] input, input[data-testid="token-name"]', "gpu-box-1");
    await page.click('[data-testid="token-create"]');
    const shown = (await page.getByTestId("token-value").textContent())!;
    expect(shown).toMatch(/^sbk_wrk_/);
    await page.screenshot({ path: join(tmpdir(), "sweepboard-settings.png"), fullPage: true });
    const tokenRow = page.getByTestId("token-row").filter({ hasText: "gpu-box-1" });
    await expect.poll(() => tokenRow.textContent()).toContain(shown.slice(0, 14));
    await tokenRow.getByTestId("token-revoke").click();
    await expect.poll(() => page.getByTestId("token-row").filter({ hasText: "gpu-box-1" }).count()).toBe(0);

    // Signing out ends the session: the pages send us back to sign in.
    await page.click('[data-testid="sign-out"]');
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/models`);
    await page.waitForURL(/\/login\?next=%2Fmodels/);
    await page.screenshot({ path: join(tmpdir(), "sweepboard-login.png") });
  }, 600_000);
});
