// Every wait in a benchmark is bounded: a slow system under test is a failed figure in the report, never a hang.

export class TimeoutError extends Error {
  constructor(
    readonly label: string,
    readonly ms: number,
  ) {
    super(`${label}: timed out after ${ms} ms`);
  }
}

/** Resolves like `work`, or rejects with a TimeoutError after `ms` (the work itself is not cancelled). */
export function withTimeout<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(label, ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A figure that may have failed: its value, or why there is none (a timeout or an error), for the JSON report. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: string; timed_out: boolean };

export async function attempt<T extends object>(label: string, ms: number, work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, ...(await withTimeout(work(), ms, label)) };
  } catch (error) {
    const timedOut = error instanceof TimeoutError;
    console.error(`${label}: ${timedOut ? "timed out" : "failed"}: ${(error as Error).message.split("\n")[0]}`);
    return { ok: false, error: (error as Error).message.split("\n")[0].slice(0, 500), timed_out: timedOut };
  }
}
