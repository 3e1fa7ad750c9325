// The last N samples of a duration (claim waits), for percentiles over recent behaviour at a fixed memory cost.
export class RecentSamples {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity = 4096) {
    this.values = new Float64Array(capacity);
  }

  add(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    this.filled = Math.min(this.filled + 1, this.values.length);
  }

  /** The kept samples, oldest first. */
  list(): number[] {
    const kept = Array.from(this.values.subarray(0, this.filled));
    return this.filled < this.values.length ? kept : [...kept.slice(this.next), ...kept.slice(0, this.next)];
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
}
