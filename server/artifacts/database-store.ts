// Blobs in the database, in 1 MiB chunks (used with DATABASE_URL: every server instance on that database sees the
// same artifacts, and workers keep needing no database credentials). Each put writes its chunks under a fresh
// blob id and then the `artifacts` row that names them, so no transaction spans an upload, a concurrent put of the
// same blob cannot mix its chunks with ours, and a refused or interrupted put only leaves chunks that it (or the
// sweep at open) removes. Chunks go in as hex text decoded by the server: a bytea parameter would be encoded by
// PGlite as one JS string per byte.
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { artifactChunks, artifacts } from "../db/schema";
import { assertSha256, fixedChunks, metered, type ArtifactStore, type BlobRef, type ByteSource, type PutOptions } from "./artifact-store";

export const CHUNK_BYTES = 1 << 20;
/** Chunk queries in flight per upload or download. */
const IN_FLIGHT = 4;
/** Chunks older than this with no `artifacts` row belong to an upload that died with its server. */
const ABANDONED_AFTER = "1 day";

export class DatabaseArtifactStore implements ArtifactStore {
  readonly kind = "database";

  constructor(
    private readonly db: Database,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** Removes chunks of uploads that never finished (old enough that no live instance is still writing them). */
  async sweepAbandoned(): Promise<void> {
    await this.db.execute(sql`
      delete from ${artifactChunks} c
      where c.created_at < now() - ${ABANDONED_AFTER}::interval
        and not exists (select 1 from ${artifacts} a where a.blob_id = c.blob_id)`);
  }

  async put(source: ByteSource, options: PutOptions): Promise<BlobRef & { created: boolean }> {
    const meter = metered(source, options);
    const blobId = randomUUID();
    // A few inserts in flight, so that reading the upload, hex-encoding and the database's writes overlap.
    const writes = new Set<Promise<unknown>>();
    try {
      let seq = 0;
      for await (const chunk of fixedChunks(meter.chunks, this.chunkBytes)) {
        const write = handled(this.db.insert(artifactChunks).values({ blobId, seq: seq++, data: sql`decode(${chunk.toString("hex")}, 'hex')` }));
        writes.add(write);
        void write.finally(() => writes.delete(write)).catch(() => {});
        if (writes.size >= IN_FLIGHT) await Promise.race(writes);
      }
      await Promise.all(writes);
      const ref = meter.verify();
      const [inserted] = await this.db
        .insert(artifacts)
        .values({ sha256: ref.sha256, bytes: ref.bytes, blobId })
        .onConflictDoNothing()
        .returning({ sha256: artifacts.sha256 });
      if (!inserted) await this.deleteChunks(blobId);
      return { ...ref, created: Boolean(inserted) };
    } catch (error) {
      // Let every write settle first, so that no chunk lands after the cleanup.
      await Promise.allSettled(writes);
      await this.deleteChunks(blobId).catch(() => {});
      throw error;
    }
  }

  async stat(sha256: string): Promise<BlobRef | null> {
    const row = await this.row(sha256);
    return row ? { sha256, bytes: row.bytes } : null;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.row(sha256)) !== null;
  }

  async open(sha256: string): Promise<Readable | null> {
    const row = await this.row(sha256);
    if (!row) return null;
    const { db } = this;
    const { blobId, bytes } = row;
    const chunk = (seq: number) =>
      handled(
        db
          .select({ data: artifactChunks.data })
          .from(artifactChunks)
          .where(and(eq(artifactChunks.blobId, blobId), eq(artifactChunks.seq, seq)))
          .then(([found]) => found?.data ?? null),
      );
    // One chunk per query, a few queries ahead of the reader and no more: memory stays at a few chunks. (Reading
    // ahead may ask for chunks past the end; those answer nothing.)
    async function* chunks(): AsyncGenerator<Buffer> {
      const ahead: Promise<Uint8Array | null>[] = [];
      let next = 0;
      for (let read = 0, seq = 0; read < bytes; seq++) {
        while (ahead.length < IN_FLIGHT) ahead.push(chunk(next++));
        const data = await ahead.shift()!;
        if (!data) throw new Error(`artifact ${sha256}: chunk ${seq} is missing`);
        read += data.byteLength;
        yield Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      }
    }
    return Readable.from(chunks(), { objectMode: false, highWaterMark: this.chunkBytes });
  }

  async delete(sha256: string): Promise<boolean> {
    assertSha256(sha256);
    const [deleted] = await this.db.delete(artifacts).where(eq(artifacts.sha256, sha256)).returning({ blobId: artifacts.blobId });
    if (deleted) await this.deleteChunks(deleted.blobId);
    return Boolean(deleted);
  }

  private async row(sha256: string): Promise<{ bytes: number; blobId: string } | null> {
    assertSha256(sha256);
    const [row] = await this.db.select({ bytes: artifacts.bytes, blobId: artifacts.blobId }).from(artifacts).where(eq(artifacts.sha256, sha256));
    return row ?? null;
  }

  private async deleteChunks(blobId: string): Promise<void> {
    await this.db.delete(artifactChunks).where(eq(artifactChunks.blobId, blobId));
  }
}

/** Starts a query once (drizzle's queries are thenables that run again on every `then`) and marks the promise as
 *  handled: it may reject while nobody awaits it yet, which would otherwise end the process. Awaiting it still throws. */
function handled<T>(query: PromiseLike<T>): Promise<T> {
  const promise = Promise.resolve(query);
  promise.catch(() => {});
  return promise;
}
