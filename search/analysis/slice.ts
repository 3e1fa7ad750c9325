// Slice plots: for each parameter, its value against the objective for every complete trial where it was active.
import type { FrozenTrial } from "../types";
import { axisOf, coordinate, type ParamAxis } from "./axes";
import { completedTrials, type SpaceLike, specsOf } from "./inputs";

export interface SlicePanel {
  axis: ParamAxis;
  points: { number: number; x: number; value: number }[];
}

export function sliceData(trials: readonly FrozenTrial[], space: SpaceLike): SlicePanel[] {
  const specs = specsOf(space);
  const done = completedTrials(trials);
  return Object.entries(specs).map(([name, spec]) => {
    const axis = axisOf(name, spec);
    const points: SlicePanel["points"] = [];
    for (const t of done) {
      const x = coordinate(axis, t.params[name]);
      if (x !== null) points.push({ number: t.number, x, value: t.value as number });
    }
    return { axis, points };
  });
}
