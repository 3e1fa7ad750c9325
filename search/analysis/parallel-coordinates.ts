// Parallel coordinates: one axis per parameter (type, scale, range or categories), one line per complete trial
// with its coordinate on each axis (null where the parameter was inactive) and its objective value.
import type { Direction, FrozenTrial } from "../types";
import { axisOf, coordinate, type ParamAxis } from "./axes";
import { completedTrials, type SpaceLike, specsOf } from "./inputs";

export interface ParallelCoordinates {
  axes: ParamAxis[];
  objective: { name: string; direction: Direction; range: [number, number] | null };
  lines: { number: number; coordinates: (number | null)[]; value: number }[];
}

export function parallelCoordinates(
  trials: readonly FrozenTrial[],
  space: SpaceLike,
  direction: Direction,
  objectiveName = "value",
): ParallelCoordinates {
  const specs = specsOf(space);
  const axes = Object.entries(specs).map(([name, spec]) => axisOf(name, spec));
  const lines = completedTrials(trials).map((t) => ({
    number: t.number,
    coordinates: axes.map((axis) => coordinate(axis, t.params[axis.name])),
    value: t.value as number,
  }));
  let range: [number, number] | null = null;
  for (const { value } of lines) range = range ? [Math.min(range[0], value), Math.max(range[1], value)] : [value, value];
  return { axes, objective: { name: objectiveName, direction, range }, lines };
}
