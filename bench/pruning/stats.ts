// Summary statistics in the reference's form: numpy linear-interpolation percentiles over seeds.
export interface Stats {
  median: number;
  q25: number;
  q75: number;
  mean: number;
  min: number;
  max: number;
}

export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function stats(values: readonly number[]): Stats {
  return {
    median: percentile(values, 50),
    q25: percentile(values, 25),
    q75: percentile(values, 75),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}
