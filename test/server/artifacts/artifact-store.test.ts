// Both artifact stores: what goes in comes out byte for byte, and a refused put (wrong hash, too large, a failing
// source) leaves nothing behind. The database store runs on PGlite and on PostgreSQL.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArtifactError, putBytes, sha256Hex, type ArtifactStore } from "../../../server/artifacts/artifact-store";
import { DatabaseArtifactStore } from "../../../server/artifacts/database-store";
import { DiskArtifactStore } from "../../../server/artifacts/disk-store";
import { artifactChunks, artifacts } from "../../../server/db/schema";
import { generated, sha256Of } from "../../support/artifacts";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../support/databases";

interface Subject {
  store: ArtifactStore;
  /** Whatever the store holds on its medium: files, or rows. */
  contents(): Promise<string[]>;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

async function diskSubject(): Promise<Subject> {
  const root = mkdtempSync(join(tmpdir(), "sweepboard-artifacts-"));
  return { store: await DiskArtifactStore.open(root), contents: async () => filesUnder(root), close: async () => rmSync(root, { recursive: true, force: true }) };
}

async function databaseSubject(kind: (typeof DATABASE_KINDS)[number]): Promise<Subject> {
  const database: TestDatabase = await createTestDatabase(kind);
  const { db } = database.handle;
  return {
    // Small chunks, so that a few hundred kB already spans many of them.
    store: new DatabaseArtifactStore(db, CHUNK),
    async contents() {
      const blobs = await db.select({ sha256: artifacts.sha256 }).from(artifacts);
      const chunks = await db.select({ blobId: artifactChunks.blobId, seq: artifactChunks.seq }).from(artifactChunks);
      return [...blobs.map((b) => `blob ${b.sha256}`), ...chunks.map((c) => `chunk ${c.blobId}/${c.seq}`)];
    },
    close: () => database.drop(),
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const subjects: [string, () => Promise<Subject>][] = [["disk", diskSubject], ...DATABASE_KINDS.map((k): [string, () => Promise<Subject>] => [`database on ${k}`, () => databaseSubject(k)])];

describe.each(subjects)("%s artifact store", (_name, make) => {
  let subject: Subject;
  beforeAll(async () => {
    subject = await make();
  });
  afterAll(() => subject.close());

  const SIZE = 5 * CHUNK + 12_345;
  const expected = () => sha256Of(generated(SIZE, 7, 10_000));

  it("stores a stream and reads it back byte for byte, across chunk boundaries", async () => {
    const sha256 = await expected();
    const put = await subject.store.put(generated(SIZE, 7, 10_000), { sha256, maxBytes: SIZE });
    expect(put).toEqual({ sha256, bytes: SIZE, created: true });
    expect(await subject.store.stat(sha256)).toEqual({ sha256, bytes: SIZE });
    expect(await subject.store.has(sha256)).toBe(true);
    expect(await sha256Of((await subject.store.open(sha256))!)).toBe(sha256);
  });

  it("is idempotent: a second put of the same blob, even concurrent ones, keeps one copy", async () => {
    const before = (await subject.contents()).length;
    const sha256 = await expected();
    const again = await Promise.all([0, 1].map(() => subject.store.put(generated(SIZE, 7, 10_000), { sha256, maxBytes: SIZE })));
    expect(again.map((p) => p.created)).toEqual([false, false]);
    expect((await subject.contents()).length).toBe(before);
    expect(await sha256Of((await subject.store.open(sha256))!)).toBe(sha256);
  });

  it("refuses content that does not match its hash, keeping nothing", async () => {
    const before = await subject.contents();
    const wrong = sha256Hex(Buffer.from("something else"));
    const refused = subject.store.put(generated(3 * CHUNK, 8), { sha256: wrong, maxBytes: 10 * CHUNK });
    await expect(refused).rejects.toMatchObject({ name: "ArtifactError", code: "mismatch", status: 400 });
    expect(await subject.store.stat(wrong)).toBeNull();
    expect(await subject.contents()).toEqual(before);
  });

  it("stops reading as soon as the stream passes the limit, keeping nothing", async () => {
    const before = await subject.contents();
    let pulled = 0;
    async function* endless() {
      for await (const piece of generated(100 * CHUNK, 9, CHUNK)) {
        pulled++;
        yield piece;
      }
    }
    const refused = subject.store.put(endless(), { sha256: "0".repeat(64), maxBytes: 2 * CHUNK + 1 });
    await expect(refused).rejects.toBeInstanceOf(ArtifactError);
    await expect(refused).rejects.toMatchObject({ code: "too_large", status: 413 });
    expect(pulled).toBe(3);
    expect(await subject.contents()).toEqual(before);
  });

  it("keeps nothing when the source fails mid-stream", async () => {
    const before = await subject.contents();
    async function* broken() {
      yield Buffer.alloc(2 * CHUNK, 1);
      throw new Error("connection reset");
    }
    await expect(subject.store.put(broken(), { sha256: "1".repeat(64), maxBytes: 10 * CHUNK })).rejects.toThrow("connection reset");
    expect(await subject.contents()).toEqual(before);
  });

  it("refuses a malformed name, answers null for a missing blob, stores an empty one, and deletes", async () => {
    await expect(subject.store.put([Buffer.from("x")], { sha256: "../../etc/passwd", maxBytes: 10 })).rejects.toMatchObject({ code: "bad_hash" });
    await expect(subject.store.stat("ABC")).rejects.toMatchObject({ code: "bad_hash" });
    expect(await subject.store.open("f".repeat(64))).toBeNull();
    expect(await subject.store.stat("f".repeat(64))).toBeNull();
    const empty = await putBytes(subject.store, new Uint8Array(0));
    expect(empty.bytes).toBe(0);
    expect(await sha256Of((await subject.store.open(empty.sha256))!)).toBe(empty.sha256);
    expect(await subject.store.delete(empty.sha256)).toBe(true);
    expect(await subject.store.delete(empty.sha256)).toBe(false);
    expect(await subject.store.has(empty.sha256)).toBe(false);
  });
});
