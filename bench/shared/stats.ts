// Summary statistics in the reference results' form (numpy linear-interpolation percentiles over seeds), for both benchmarks.

export function percentile(values: readonly number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

export interface Summary {
  median: number;
  q25: number;
  q75: number;
  iqr: number;
  mean: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const q25 = percentile(values, 25);
  const q75 = percentile(values, 75);
  return {
    median: percentile(values, 50),
    q25,
    q75,
    iqr: q75 - q25,
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
