// Socket.IO broadcasts across server instances that share one PostgreSQL database: every room emit (the publisher's
// sweep, trial and epoch updates) also reaches the browsers connected to the other instances, through NOTIFY.
// Payloads over NOTIFY's 8000-byte limit go through the adapter's attachments table, created here as it documents.
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import type { Server as SocketServer } from "socket.io";

const ATTACHMENTS_TABLE = "socket_io_attachments";

/** Installs the adapter on every namespace of `io` (call it before creating them); returns what closes its pool,
 *  to be called after `io.close()` has closed the adapters. */
export async function usePostgresAdapter(io: SocketServer, url: string, log: (message: string) => void): Promise<() => Promise<void>> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client's error (the database restarting) must not crash the server; the adapter reconnects on its own.
  pool.on("error", (error) => log(`socket.io adapter: ${error.message}`));
  await createAttachmentsTable(pool);
  const errorHandler = (error: Error) => log(`socket.io adapter: ${error.message}`);
  io.adapter(createAdapter(listenerOwningPool(pool, url, errorHandler), { tableName: ATTACHMENTS_TABLE, errorHandler }));
  return () => pool.end();
}

/** The adapter keeps one client checked out for LISTEN, attaches no "error" listener to it (a database restart
 *  would then crash the process), and never returns it when it dies (each outage would leak a pool slot). So its
 *  listening client is a standalone one that we watch; its queries still use the pool. It uses nothing else. */
function listenerOwningPool(pool: pg.Pool, url: string, onError: (error: Error) => void): pg.Pool {
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    client.on("error", onError);
    await client.connect();
    // Ends the connection where a pooled client would be released (the adapter's close).
    return Object.assign(client, { release: () => void client.end().catch(() => {}) });
  };
  return { query: pool.query.bind(pool), connect } as unknown as pg.Pool;
}

/** Instances starting together would race on CREATE TABLE IF NOT EXISTS (it can fail on the type's unique index). */
async function createAttachmentsTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(hashtextextended('sweepboard:socket.io-attachments', 0))");
    await client.query(`create table if not exists ${ATTACHMENTS_TABLE} (id bigserial unique, created_at timestamptz default now(), payload bytea)`);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
