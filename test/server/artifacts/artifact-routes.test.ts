// PUT/GET /api/worker/artifacts/:sha256 on the real server: uploads stream into the store, a bad name or content
// is a 400 and an oversized body (declared or chunked) a 413, never a 500, and a refused upload stores nothing.
import { request } from "node:http";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../server/artifacts/artifact-store";
import { uploadWeights } from "../../../server/worker/artifact-upload";
import { bytesOf, generated } from "../../support/artifacts";
import { DATABASE_KINDS } from "../../support/databases";
import { startTestServer, type TestServer } from "../../support/test-server";

const LIMIT = 3 * 2 ** 20;

describe.each(DATABASE_KINDS)("artifact routes on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    process.env.SWEEPBOARD_MAX_ARTIFACT_BYTES = String(LIMIT);
    try {
      server = await startTestServer(kind);
    } finally {
      delete process.env.SWEEPBOARD_MAX_ARTIFACT_BYTES;
    }
  });
  afterAll(() => server.stop());

  const url = (sha256: string) => `${server.app.url}/api/worker/artifacts/${sha256}`;
  const auth = () => ({ authorization: `Bearer ${server.app.workerToken}` });
  const put = (sha256: string, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    fetch(url(sha256), { method: "PUT", headers: { ...auth(), "content-type": "application/octet-stream", ...headers }, body, duplex: "half" } as RequestInit);
  const get = (sha256: string, method = "GET") => fetch(url(sha256), { method, headers: auth() });

  it("stores an upload (201), accepts it again (200), and serves it back whole, HEAD included", async () => {
    const blob = await bytesOf(generated(2 ** 20 + 77, 21));
    const sha256 = sha256Hex(blob);
    const first = await put(sha256, blob);
    expect([first.status, await first.json()]).toEqual([201, { sha256, bytes: blob.length }]);
    const again = await put(sha256, blob);
    expect([again.status, await again.json()]).toEqual([200, { sha256, bytes: blob.length }]);

    const got = await get(sha256);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-length")).toBe(String(blob.length));
    expect(sha256Hex(Buffer.from(await got.arrayBuffer()))).toBe(sha256);
    const head = await get(sha256, "HEAD");
    expect([head.status, head.headers.get("content-length"), await head.text()]).toEqual([200, String(blob.length), ""]);
  });

  it("needs a worker token both ways", async () => {
    const blob = Buffer.from("guarded");
    expect((await fetch(url(sha256Hex(blob)), { method: "PUT", body: blob })).status).toBe(401);
    expect((await fetch(url(sha256Hex(blob)))).status).toBe(401);
    expect((await get(sha256Hex(blob))).status).toBe(404);
  });

  it("answers 400 for a malformed name and for content that does not match it, storing nothing", async () => {
    for (const name of ["abc", "A".repeat(64), "g".repeat(64)]) {
      const response = await put(name, Buffer.from("x"));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/sha256/);
    }
    const claimed = sha256Hex(Buffer.from("what was promised"));
    const mismatch = await put(claimed, Buffer.from("something else"));
    expect([mismatch.status, (await mismatch.json()).error]).toEqual([400, expect.stringContaining("not " + claimed)]);
    expect((await get(claimed)).status).toBe(404);
    expect((await get("abc")).status).toBe(400);
  });

  it("answers 413 for a body over the limit, declared or streamed without a length, storing nothing", async () => {
    const declared = await put("0".repeat(64), Buffer.alloc(LIMIT + 1));
    expect(declared.status).toBe(413);

    // Chunked: the size shows only while streaming, and the store stops at the limit. The uploader is still
    // sending then, and gets the answer, not a reset connection.
    const sha256 = "e".repeat(64);
    expect(await rawPut(url(sha256), Readable.from(generated(LIMIT + 64 * 2 ** 20, 22)), auth())).toEqual({ status: 413, error: null });
    expect((await get(sha256)).status).toBe(404);
    // The agent's upload hears the refusal as final (no retry loop).
    const agentUpload = uploadWeights(Buffer.alloc(LIMIT + 1), { serverUrl: server.app.url, token: server.app.workerToken, retryDelayMs: 10, isCancelled: () => false });
    await expect(agentUpload).rejects.toMatchObject({ name: "UploadRefused", status: 413 });
    // The server is fine afterwards.
    expect((await put(sha256Hex(Buffer.from("ok")), Buffer.from("ok"))).status).toBe(201);
  });
});

/** A chunked PUT through node:http (fetch would hide how it ended): the status, and the connection error if any. */
function rawPut(target: string, body: Readable, headers: Record<string, string>): Promise<{ status: number; error: string | null }> {
  return new Promise((resolve) => {
    let status = 0;
    let error: string | null = null;
    const req = request(target, { method: "PUT", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
    });
    req.on("error", (e) => (error = e.message));
    req.on("close", () => resolve({ status, error }));
    body.pipe(req);
  });
}
