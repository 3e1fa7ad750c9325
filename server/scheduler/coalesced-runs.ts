// Serialised, coalesced runs of one task (a planning tick, a claim): at most one runs and at most one more is
// queued behind it, so a burst of requests costs two runs, not one per request, and runs never overlap.
export class CoalescedRuns {
  private chain: Promise<void> = Promise.resolve();
  private pending: Promise<void> | null = null;

  constructor(
    private readonly task: () => Promise<void>,
    /** Callers fire and forget, so a run must never reject (an unhandled rejection would take the server down):
     *  its error goes here, and the next request runs the task again. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resolves once a run that started after this call has ended. */
  request(): Promise<void> {
    if (this.pending) return this.pending;
    const next = this.chain
      .then(() => {
        this.pending = null;
        return this.task();
      })
      .catch(this.onError);
    this.pending = next;
    this.chain = next;
    return next;
  }

  /** Resolves when the runs requested so far have ended. */
  settled(): Promise<void> {
    return this.chain;
  }
}
