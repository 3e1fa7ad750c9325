// Server components read through the same Services object as the route handlers (set up by the custom server).
import { getServices, type Services } from "../../server/services";

export type Loaded<T> = { ok: true; data: T } | { ok: false; error: string };

/** Runs a read on the services; failures become a message for the page instead of an error boundary. */
export async function load<T>(read: (services: Services) => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await read(getServices()) };
  } catch (error) {
    console.error("[page] load failed", error);
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
