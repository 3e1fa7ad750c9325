// Optimisation history: each complete trial's value and the best so far, in trial order.
import type { Direction, FrozenTrial } from "../types";
import { completedTrials } from "./inputs";

export interface HistoryPoint {
  number: number;
  value: number;
  bestSoFar: number;
  /** This trial set a new best. */
  isBest: boolean;
}

export interface OptimizationHistory {
  direction: Direction;
  points: HistoryPoint[];
  bestTrial: number | null;
}

export function optimizationHistory(trials: readonly FrozenTrial[], direction: Direction): OptimizationHistory {
  const points: HistoryPoint[] = [];
  let bestValue = NaN;
  let bestTrial: number | null = null;
  for (const t of completedTrials(trials)) {
    const value = t.value as number;
    const isBest = bestTrial === null || (direction === "maximize" ? value > bestValue : value < bestValue);
    if (isBest) [bestValue, bestTrial] = [value, t.number];
    points.push({ number: t.number, value, bestSoFar: bestValue, isBest });
  }
  return { direction, points, bestTrial };
}
