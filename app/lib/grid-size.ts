// How many configurations a grid search over the form's parameters has, so the form can say whether the trial
// budget covers the grid. A light mirror of search/space/spec-values (which would bring zod into the page).
import type { SweepDocumentInput } from "../../server/sweeps/sweep-document";

type ParameterInput = SweepDocumentInput["parameters"][string];

export type GridSize = { configurations: number } | { continuous: string[] };

/** Values one parameter contributes to the grid, or null for a continuous range (no step). */
function gridValueCount(input: ParameterInput): number | null {
  if (input.value !== undefined) return 1;
  if (input.values !== undefined) return input.values.length;
  const { min, max, q, distribution } = input;
  if (typeof min !== "number" || typeof max !== "number" || max < min) return 1; // the server reports it
  const integerRange = distribution === "int_uniform" || (distribution === undefined && Number.isInteger(min) && Number.isInteger(max));
  const step = q ?? (integerRange ? 1 : undefined);
  return step === undefined ? null : Math.floor((max - min) / step + 1e-9) + 1;
}

export function gridSize(parameters: SweepDocumentInput["parameters"]): GridSize {
  let configurations = 1;
  const continuous: string[] = [];
  for (const [name, input] of Object.entries(parameters)) {
    const count = gridValueCount(input);
    if (count === null) continuous.push(name);
    else configurations *= count;
  }
  return continuous.length ? { continuous } : { configurations };
}
