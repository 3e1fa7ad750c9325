// The agent's weights upload: it retries through 5xx answers and dropped connections (the upload is idempotent),
// stops at a 4xx (the server's final word), and sends the token and the exact bytes.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { UploadRefused, uploadWeights } from "../../../server/worker/artifact-upload";

type Answer = "drop" | number;

/** A server that answers the scripted statuses in turn ("drop": close the connection mid-request). */
async function scriptedServer(answers: Answer[]): Promise<{ url: string; server: Server; seen: { auth?: string; path?: string; sha256: string }[] }> {
  const seen: { auth?: string; path?: string; sha256: string }[] = [];
  const server = createServer(async (req, res) => {
    const answer = answers.shift() ?? 201;
    if (answer === "drop") return void req.socket.destroy();
    const hash = createHash("sha256");
    for await (const chunk of req) hash.update(chunk);
    seen.push({ auth: req.headers.authorization, path: req.url, sha256: hash.digest("hex") });
    res.writeHead(answer, { "content-type": "application/json" }).end(JSON.stringify(answer < 300 ? { ok: true } : { error: `scripted ${answer}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

describe("uploadWeights", () => {
  let server: Server | null = null;
  afterEach(() => void server?.close());

  const weights = Buffer.alloc(3 * 2 ** 20 + 5, 7);
  const sha256 = createHash("sha256").update(weights).digest("hex");
  const options = (serverUrl: string, log: string[] = []) => ({ serverUrl, token: "tok-123", retryDelayMs: 10, isCancelled: () => false, log: (m: string) => log.push(m) });

  it("retries through a 503 and a dropped connection, then returns the reference", async () => {
    const fake = await scriptedServer([503, "drop", 201]);
    server = fake.server;
    const log: string[] = [];
    expect(await uploadWeights(weights, options(fake.url, log))).toEqual({ sha256, bytes: weights.length });
    expect(log).toHaveLength(2);
    expect(log[0]).toContain("503 scripted 503");
    expect(fake.seen.at(-1)).toEqual({ auth: "Bearer tok-123", path: `/api/worker/artifacts/${sha256}`, sha256 });
  });

  it("stops at a 4xx with the server's reason", async () => {
    const fake = await scriptedServer([413]);
    server = fake.server;
    const refused = uploadWeights(weights, options(fake.url));
    await expect(refused).rejects.toBeInstanceOf(UploadRefused);
    await expect(refused).rejects.toThrow(/413 scripted 413/);
    expect(fake.seen).toHaveLength(1);
  });

  it("gives up when the worker stops", async () => {
    const fake = await scriptedServer([503, 503, 503]);
    server = fake.server;
    let stop = false;
    const upload = uploadWeights(weights, { ...options(fake.url), isCancelled: () => stop, log: () => (stop = true) });
    await expect(upload).rejects.toThrow("worker stopped");
  });
});
