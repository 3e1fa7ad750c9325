// A 100 MB model through the whole path on PGlite and PostgreSQL: the worker's HTTP upload, the trial:complete
// reference, promotion, the streamed zip download and the worker GET route. Same bytes out as in, and the server's
// resident memory grows by far less than the model (it used to be killed by one this size).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactRoundTrip } from "../../support/artifact-roundtrip";
import { DATABASE_KINDS } from "../../support/databases";
import { startTestServer, type TestServer } from "../../support/test-server";

const BYTES = 100 * 2 ** 20;
const RSS_BOUND_MB = 300;

describe.each(DATABASE_KINDS)("a 100 MB artifact on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("uploads, stores, and downloads identical bytes with the server's memory bounded", async () => {
    const trip = await artifactRoundTrip(server, BYTES, { timeoutMs: 240_000 });
    console.log(`100 MB round trip on ${kind}: ${JSON.stringify(trip)}`);
    expect(trip.identical).toBe(true);
    expect(trip.rss_peak_over_idle_mb).toBeLessThan(RSS_BOUND_MB);
    // Still serving.
    const alive = await fetch(`${server.app.url}/api/worker/whoami`, { headers: { authorization: `Bearer ${server.app.workerToken}` } });
    expect(alive.status).toBe(200);
  }, 300_000);
});
