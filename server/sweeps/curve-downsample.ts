// Learning curves downsampled on the server, so a chart gets at most a few hundred points per series whatever the
// number of epochs. LTTB (largest-triangle-three-buckets, Steinarsson 2013) keeps the points that carry the shape:
// the first and last always, and from each bucket between them the one forming the largest triangle with the point
// kept before it and the mean of the next bucket.

export type Point = [number, number];

/** At most `threshold` (≥ 3) of `points` (x ascending); a copy of all of them when there are no more than that. */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  if (!Number.isInteger(threshold) || threshold < 3) throw new RangeError("lttb: threshold must be an integer ≥ 3");
  if (points.length <= threshold) return points.map(([x, y]) => [x, y]);
  const kept: Point[] = [points[0]];
  const every = (points.length - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    // The next bucket's mean (the last point for the last bucket) is the third corner of each triangle.
    const nextStart = Math.floor((bucket + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * every) + 1, points.length);
    let meanX = 0;
    let meanY = 0;
    for (let i = nextStart; i < nextEnd; i++) [meanX, meanY] = [meanX + points[i][0], meanY + points[i][1]];
    const span = nextEnd - nextStart;
    [meanX, meanY] = span > 0 ? [meanX / span, meanY / span] : points[points.length - 1];
    const start = Math.floor(bucket * every) + 1;
    const end = Math.floor((bucket + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    const [ax, ay] = points[a];
    for (let i = start; i < end; i++) {
      const area = Math.abs((ax - meanX) * (points[i][1] - ay) - (ax - points[i][0]) * (meanY - ay));
      if (area > bestArea) [best, bestArea] = [i, area];
    }
    kept.push(points[best]);
    a = best;
  }
  kept.push(points[points.length - 1]);
  return kept.map(([x, y]) => [x, y]);
}

/** At most `max` (≥ 2) items spread evenly over `items`, the first and last kept; all of them when they fit. */
export function evenSample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  if (max < 2) return items.slice(0, Math.max(0, max));
  const picked: T[] = [];
  for (let i = 0; i < max; i++) picked.push(items[Math.round((i * (items.length - 1)) / (max - 1))]);
  return picked;
}
