// The sweep page at scale, in Chromium: a sweep of 2,000 trials × 20 epochs (seeded in SQL by bench/ui/seed.ts)
// opens with a bounded DOM, scrolls to its last trial, sorts on the server by clicking a parameter column, and
// shows a worker's live report in a visible row. Screenshots (light and dark, desktop and phone) go to /tmp/shots/.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSweep } from "../../bench/ui/seed";
import { PROJECT_ROOT } from "../../server/app-server";
import { ensureDashboardBuilt } from "../../server/dashboard-build";
import { openDatabase } from "../../server/db/client";
import type { WorkerAck } from "../../server/realtime/events";
import type { LeaderboardPage } from "../../server/sweeps/types";
import type { TrainJob } from "../../server/training/types";
import { rawWorkerSocket, signIn } from "../support/auth";
import { chromiumAvailable, launchChromium } from "../support/browser";
import { ADMIN_EMAIL, startServerProcess, type ServerProcess } from "../support/server-process";

const TRIALS = 2000;
const EPOCHS = 20;
const WORKER_TOKEN = "e2e-scale-worker-token-0123456789";
const SHOTS = "/tmp/shots";
/** Far fewer than the trials: the virtual table draws the rows in view plus a small overscan. */
const MAX_ROWS_IN_DOM = 80;

describe.skipIf(!chromiumAvailable())("the sweep page at scale", () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sweepId: string;
  let cookies: { name: string; value: string; url: string }[];
  const waitingNumber = TRIALS + 1;

  beforeAll(async () => {
    await ensureDashboardBuilt(PROJECT_ROOT, console.log);
    // PGlite is single-process: seed its files first, then the server opens them.
    const home = mkdtempSync(join(tmpdir(), "sweepboard-e2e-scale-"));
    const handle = await openDatabase({ dataDir: join(home, "pgdata") });
    try {
      // Paused, so the scheduler leaves it alone until the test resumes it for the live report; one waiting trial
      // (number TRIALS + 1) is what the test's worker gets.
      ({ sweepId } = await seedSweep(handle.db, { trials: TRIALS, epochs: EPOCHS, waiting: 1, status: "paused", name: "e2e-scale" }));
    } finally {
      await handle.close();
    }
    server = await startServerProcess({ SWEEPBOARD_WORKERS: "0", SWEEPBOARD_WORKER_TOKEN: WORKER_TOKEN }, { home, timeoutMs: 300_000 });
    cookies = (await signIn(server.url, ADMIN_EMAIL))
      .split(/;\s*/)
      .filter(Boolean)
      .map((pair) => ({ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), url: server.url }));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addCookies(cookies);
    page = await context.newPage();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const board = () => page.getByTestId("leaderboard");
  const rowsInDom = () => page.locator('[data-testid^="trial-row-"]').count();
  const rowNumbers = () => page.locator('[data-testid^="trial-row-"]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-testid")!.slice("trial-row-".length))));
  const sortAndWait = async (key: string, order: "asc" | "desc") => {
    await page.locator(`[data-sort-key="${key}"]`).click();
    await expect.poll(() => board().getAttribute("data-sort")).toBe(key);
    await expect.poll(() => board().getAttribute("data-order")).toBe(order);
    await expect.poll(() => board().getAttribute("data-ready")).toBe("true");
  };
  const apiOrder = async (query: string) =>
    ((await (await server.fetch(`/api/sweeps/${sweepId}/trials?${query}&offset=0&limit=10`)).json()) as LeaderboardPage).rows.map((r) => r.number);

  it("opens with a bounded DOM, draws the top curves over the band, and scrolls to the last trial", async () => {
    await page.goto(`${server.url}/sweeps/${sweepId}`);
    await page.locator('[data-testid="leaderboard"][data-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await board().getAttribute("data-total")).toBe(String(TRIALS + 1));
    expect(await board().getAttribute("data-sort")).toBe("rank");
    const curves = page.locator('[data-testid="learning-curves"][data-ready="true"]');
    await curves.waitFor({ timeout: 30_000 });
    expect(Number(await curves.getAttribute("data-series"))).toBe(10);
    expect(await curves.locator("svg .recharts-area").count()).toBe(2);
    expect(await page.getByTestId("curves-caption").textContent()).toMatch(/top 10 of 2,001 trials by val_accuracy; band: all trials/);

    // The best trial is first, ranked 1; the DOM holds a few dozen rows, not thousands.
    const [best] = await apiOrder("sort=rank&order=asc");
    await page.getByTestId(`trial-row-${best}`).waitFor();
    expect(await page.getByTestId(`trial-row-${best}`).getAttribute("data-rank")).toBe("1");
    expect(await rowsInDom()).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);

    await sortAndWait("number", "asc");
    await page.getByTestId("trial-row-1").waitFor();
    const scroller = page.getByTestId("leaderboard-scroll");
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
          return page.getByTestId(`trial-row-${waitingNumber}`).isVisible();
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(await page.getByTestId(`trial-row-${waitingNumber}`).getAttribute("data-state")).toBe("waiting");
    expect(await rowsInDom()).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
    expect(await page.getByTestId("trial-row-1").count()).toBe(0);
  }, 120_000);

  it("sorts by a parameter column on the server, both ways", async () => {
    await sortAndWait("param:learning_rate", "asc");
    const expectedAsc = await apiOrder("sort=param:learning_rate&order=asc");
    await expect.poll(async () => (await rowNumbers()).slice(0, 10), { timeout: 15_000 }).toEqual(expectedAsc);
    await sortAndWait("param:learning_rate", "desc");
    const expectedDesc = await apiOrder("sort=param:learning_rate&order=desc");
    await expect.poll(async () => (await rowNumbers()).slice(0, 10), { timeout: 15_000 }).toEqual(expectedDesc);
    expect(expectedDesc).not.toEqual(expectedAsc);
    // The scroll went back to the top for the new order.
    expect(await page.getByTestId("leaderboard-scroll").evaluate((el) => el.scrollTop)).toBe(0);
  }, 60_000);

  it("filters by state on the server", async () => {
    const { total } = (await (await server.fetch(`/api/sweeps/${sweepId}/trials?states=pruned&limit=1`)).json()) as LeaderboardPage;
    expect(total).toBeGreaterThan(0);
    await page.getByTestId("state-filter-pruned").click();
    await expect.poll(() => board().getAttribute("data-total")).toBe(String(total));
    await expect.poll(() => board().getAttribute("data-ready")).toBe("true");
    const states = () => page.locator('[data-testid^="trial-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state")));
    await expect.poll(async () => (await states()).length > 0 && (await states()).every((s) => s === "pruned")).toBe(true);
    await page.getByTestId("state-filter-all").click();
    await expect.poll(() => board().getAttribute("data-total")).toBe(String(TRIALS + 1));
  }, 60_000);

  it("adds a picked trial's line to the chart, and takes it off again", async () => {
    const { rows } = (await (await server.fetch(`/api/sweeps/${sweepId}/trials?sort=param:learning_rate&order=desc&offset=0&limit=10`)).json()) as LeaderboardPage;
    const pick = rows.find((r) => r.rank === null || r.rank > 10)!;
    const curves = page.getByTestId("learning-curves");
    expect(await curves.getAttribute("data-series")).toBe("10");
    await page.getByTestId(`plot-${pick.number}`).check();
    await expect.poll(() => curves.getAttribute("data-series"), { timeout: 15_000 }).toBe("11");
    expect(await page.getByTestId("curves-caption").textContent()).toContain("1 selected");
    await page.getByTestId(`plot-${pick.number}`).uncheck();
    await expect.poll(() => curves.getAttribute("data-series"), { timeout: 15_000 }).toBe("10");
  }, 60_000);

  it("shows a worker's live report in a visible row", async () => {
    await sortAndWait("number", "asc");
    await sortAndWait("number", "desc");
    const row = page.getByTestId(`trial-row-${waitingNumber}`);
    await row.waitFor();
    const worker: Socket = rawWorkerSocket(server.url, WORKER_TOKEN, { name: "e2e-scale", backend: "test", busyWith: null });
    try {
      const assigned = new Promise<TrainJob>((resolve) => worker.once("trial:assign", resolve));
      await new Promise<void>((resolve, reject) => {
        worker.once("connect", () => resolve());
        worker.once("connect_error", reject);
      });
      worker.emit("worker:idle");
      const resume = await server.fetch(`/api/sweeps/${sweepId}/resume`, { method: "POST", body: "{}" });
      expect(resume.status).toBeLessThan(300);
      const job = await assigned;
      await expect.poll(() => row.getAttribute("data-state"), { timeout: 15_000 }).toBe("running");
      const metrics = { loss: 0.5, accuracy: 0.6, val_loss: 0.45, val_accuracy: 0.777, duration_ms: 5, images_per_sec: 1000, learning_rate: 0.001 };
      const ack = await worker.timeout(10_000).emitWithAck("trial:epoch", { trialId: job.trialId, attempt: job.attempt, epoch: 1, metrics });
      expect((ack as WorkerAck).ok).toBe(true);
      await expect.poll(() => page.getByTestId(`trial-metric-${waitingNumber}`).textContent(), { timeout: 10_000 }).toBe("0.777");
      expect(await page.getByTestId(`trial-epochs-${waitingNumber}`).textContent()).toBe("1");
    } finally {
      worker.disconnect();
    }
  }, 60_000);

  it("takes screenshots in light and dark, desktop and phone", async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const scheme of ["light", "dark"] as const) {
      for (const [device, viewport] of [
        ["desktop", { width: 1400, height: 1000 }],
        ["phone", { width: 390, height: 844 }],
      ] as const) {
        const shot = await browser.newContext({ colorScheme: scheme, viewport, deviceScaleFactor: 1 });
        await shot.addCookies(cookies);
        const p = await shot.newPage();
        await p.goto(`${server.url}/sweeps/${sweepId}`);
        await p.locator('[data-testid="leaderboard"][data-ready="true"]').waitFor({ timeout: 60_000 });
        await p.locator('[data-testid="learning-curves"][data-ready="true"]').waitFor({ timeout: 30_000 });
        await p.waitForTimeout(500);
        await p.screenshot({ path: join(SHOTS, `sweep-${scheme}-${device}.png`), fullPage: device === "phone" });
        await p.getByTestId("leaderboard").scrollIntoViewIfNeeded();
        await p.screenshot({ path: join(SHOTS, `leaderboard-${scheme}-${device}.png`) });
        if (device === "desktop") {
          // A row of variable height: the evaluation opens below its trial and the rows below move down.
          await p.locator('[data-testid^="details-"]').first().click();
          await p.waitForTimeout(800);
          await p.getByTestId("leaderboard-scroll").screenshot({ path: join(SHOTS, `leaderboard-details-${scheme}.png`) });
        }
        await shot.close();
      }
    }
  }, 180_000);
});
