// Blobs as files, `<root>/sha256/ab/<hash>` (used with PGlite, whose data lives on this machine anyway). A put
// writes a temp file beside its final name, hashing as it goes, fsyncs, and renames it into place: a reader sees
// a whole, verified blob or none, and a refused or interrupted upload leaves nothing behind.
import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { assertSha256, metered, type ArtifactStore, type BlobRef, type ByteSource, type PutOptions } from "./artifact-store";

const TEMP_SUFFIX = ".tmp";

export class DiskArtifactStore implements ArtifactStore {
  readonly kind = "disk";

  private constructor(private readonly root: string) {}

  /** `root` is `<SWEEPBOARD_HOME>/artifacts`. Removes temp files a crash left (one process owns a PGlite home). */
  static async open(root: string): Promise<DiskArtifactStore> {
    const base = join(root, "sha256");
    await mkdir(base, { recursive: true });
    for (const dir of await readdir(base)) {
      for (const name of await readdir(join(base, dir)).catch(() => [])) {
        if (name.endsWith(TEMP_SUFFIX)) await rm(join(base, dir, name), { force: true });
      }
    }
    return new DiskArtifactStore(root);
  }

  private pathOf(sha256: string): { dir: string; file: string } {
    assertSha256(sha256);
    const dir = join(this.root, "sha256", sha256.slice(0, 2));
    return { dir, file: join(dir, sha256) };
  }

  async put(source: ByteSource, options: PutOptions): Promise<BlobRef & { created: boolean }> {
    const { dir, file } = this.pathOf(options.sha256);
    const meter = metered(source, options);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${options.sha256}.${randomUUID()}${TEMP_SUFFIX}`);
    const handle = await open(temp, "wx", 0o600);
    let closed = false;
    try {
      for await (const chunk of meter.chunks) {
        for (let offset = 0; offset < chunk.byteLength; ) {
          offset += (await handle.write(chunk, offset, chunk.byteLength - offset)).bytesWritten;
        }
      }
      const ref = meter.verify();
      await handle.sync();
      await handle.close();
      closed = true;
      if (await exists(file)) {
        await unlink(temp);
        return { ...ref, created: false };
      }
      await rename(temp, file);
      await syncDir(dir);
      return { ...ref, created: true };
    } catch (error) {
      if (!closed) await handle.close().catch(() => {});
      await rm(temp, { force: true });
      throw error;
    }
  }

  async stat(sha256: string): Promise<BlobRef | null> {
    const found = await stat(this.pathOf(sha256).file).catch(() => null);
    return found?.isFile() ? { sha256, bytes: found.size } : null;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async open(sha256: string): Promise<Readable | null> {
    const { file } = this.pathOf(sha256);
    // Opened here, not lazily, so a blob deleted in between answers null rather than a failing stream.
    const handle = await open(file, "r").catch(() => null);
    return handle ? handle.createReadStream({ highWaterMark: 1 << 20 }) : null;
  }

  async delete(sha256: string): Promise<boolean> {
    return unlink(this.pathOf(sha256).file).then(
      () => true,
      () => false,
    );
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Makes the rename itself durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
