// Pass/fail per figure against the bars, and ratios against main's figures (reference / measured: how many
// times faster or smaller; null when either side is missing).
import { BARS, interactiveBarMs, referenceFor } from "./reference";

export interface RunFigures {
  trials: number;
  snapshot_wire_bytes: number | null;
  snapshot_identity_bytes: number | null;
  snapshot_ms: number | null;
  interactive_ms: number | null;
  interactive_cold_ms: number | null;
  longest_task_ms: number | null;
  heap_bytes: number | null;
  dom_nodes: number | null;
  sort_worst_ms: number | null;
  health_p99_ms: number | null;
  stream_p95_ms: number | null;
}

const below = (value: number | null, bar: number) => ({ value, bar, pass: value !== null && value < bar });
const ratio = (reference: number | undefined, measured: number | null) =>
  reference === undefined || measured === null || measured <= 0 ? null : Math.round((reference / measured) * 10) / 10;

export function barsOf(f: RunFigures) {
  return {
    sweep_page_interactive_ms: below(f.interactive_ms, interactiveBarMs(f.trials)),
    sweep_page_interactive_first_open_after_start_ms: below(f.interactive_cold_ms, interactiveBarMs(f.trials)),
    sort_any_column_ms: below(f.sort_worst_ms, BARS.sort_ms),
    first_snapshot_bytes: below(f.snapshot_wire_bytes, BARS.snapshot_bytes),
    js_heap_bytes: below(f.heap_bytes, BARS.heap_bytes),
    health_p99_ms_while_tabs_open: below(f.health_p99_ms, BARS.health_p99_ms),
    report_to_dom_p95_ms: below(f.stream_p95_ms, BARS.stream_p95_ms),
  };
}

export function ratiosOf(f: RunFigures) {
  const ref = referenceFor(f.trials);
  if (!ref) return { note: `issue 10 has no reference for ${f.trials} trials` };
  const n = (key: string) => (typeof ref[key] === "number" ? (ref[key] as number) : undefined);
  const mb = (x: number | undefined) => (x === undefined ? undefined : x * 1e6);
  const s = (x: number | undefined) => (x === undefined ? undefined : x * 1000);
  return {
    snapshot_time: ratio(s(n("snapshot_seconds")), f.snapshot_ms),
    snapshot_bytes_as_sent: ratio(mb(n("snapshot_mb")), f.snapshot_wire_bytes),
    snapshot_bytes_uncompressed: ratio(mb(n("snapshot_mb")), f.snapshot_identity_bytes),
    interactive: ratio(s(n("interactive_seconds")), f.interactive_ms),
    longest_task: ratio(s(n("longest_task_seconds")), f.longest_task_ms),
    heap: ratio(mb(n("heap_mb")), f.heap_bytes),
    dom_nodes: ratio(n("dom_nodes"), f.dom_nodes),
  };
}
