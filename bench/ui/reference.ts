// What main measured before this work (issue 10's table), and the bars the issue sets; both are quoted beside each
// run's figures so the report reads as a ratio against the reference and a pass/fail per figure.

export const REFERENCE = {
  source:
    "issue 10 (\"Scale: the server never blocks\"), measured on main before this work: PostgreSQL, no workers, one sweep " +
    "seeded with 10,000 trials and 452,756 epoch rows (1,000 trials for the 1k column); Chromium",
  by_trials: {
    1000: { snapshot_seconds: 0.98, snapshot_mb: 12, visible_seconds: 6.5, interactive_seconds: 6.6, longest_task_seconds: 4.4, heap_mb: 174, dom_nodes: 32_000 },
    10000: {
      snapshot_seconds: 153,
      snapshot_mb: 121,
      visible_seconds: 329,
      interactive_seconds: 387,
      longest_task_seconds: 150,
      heap_mb: 1500,
      dom_nodes: 317_000,
      health_probe_seconds_while_one_tab_loads: [217, 303],
    },
  } as Record<number, Record<string, number | number[]>>,
};

export const BARS = {
  interactive_ms: { 1000: 800, 10000: 1500 } as Record<number, number>,
  sort_ms: 200,
  snapshot_bytes: 2 * 1024 * 1024,
  heap_bytes: 300 * 1024 * 1024,
  health_p99_ms: 100,
  stream_p95_ms: 100,
};

/** The interactive bar for a sweep size: the issue names 1k and 10k; sizes between or beyond take the nearer one. */
export function interactiveBarMs(trials: number): number {
  return trials <= 3000 ? BARS.interactive_ms[1000] : BARS.interactive_ms[10000];
}

/** The reference row for a size, when the issue measured one. */
export const referenceFor = (trials: number) => REFERENCE.by_trials[trials] ?? null;
