// The six benchmark objectives of /work/shared/bench/README.md (all minimised), exactly as defined there.
import type { Params } from "../../search/parameters";
import type { SearchSpace } from "../../search/types";
import { CNN_SPACE, cnnSweepError, toCnnConfig } from "../shared/cnn-sweep";

export interface Objective {
  name: string;
  space: SearchSpace;
  fStar: number;
  evaluate(params: Params): number;
}

function continuous(name: string, bounds: [number, number][], fStar: number, f: (x: number[]) => number): Objective {
  const space: SearchSpace = {};
  bounds.forEach(([min, max], i) => (space[`x${i}`] = { spec: { kind: "float", min, max, log: false } }));
  return { name, space, fStar, evaluate: (p) => f(bounds.map((_, i) => p[`x${i}`] as number)) };
}

const PI = Math.PI;

export function branin([x1, x2]: number[]): number {
  const b = 5.1 / (4 * PI ** 2);
  const c = 5 / PI;
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * PI)) * Math.cos(x1) + 10;
}

const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

export function hartmann6(x: number[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += H6_A[i][j] * (x[j] - H6_P[i][j]) ** 2;
    sum += H6_ALPHA[i] * Math.exp(-inner);
  }
  return -sum;
}

export function rosenbrock(x: number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length - 1; i++) sum += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2;
  return sum;
}

export function ackley(x: number[]): number {
  const d = x.length;
  const sq = x.reduce((s, v) => s + v * v, 0) / d;
  const cos = x.reduce((s, v) => s + Math.cos(2 * PI * v), 0) / d;
  return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cos) + 20 + Math.E;
}

export function levy(x: number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const d = w.length;
  let sum = Math.sin(PI * w[0]) ** 2;
  for (let i = 0; i < d - 1; i++) sum += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(PI * w[i] + 1) ** 2);
  return sum + (w[d - 1] - 1) ** 2 * (1 + Math.sin(2 * PI * w[d - 1]) ** 2);
}

const cnnSweep: Objective = {
  name: "cnn_sweep",
  space: CNN_SPACE,
  fStar: 0.0855686207845523,
  evaluate: (p) => cnnSweepError(toCnnConfig(p)),
};

export const OBJECTIVES: Objective[] = [
  continuous("branin", [[-5, 10], [0, 15]], 0.397887357729738, branin),
  continuous("hartmann6", Array.from({ length: 6 }, () => [0, 1] as [number, number]), -3.3223680114155054, hartmann6),
  continuous("rosenbrock4", Array.from({ length: 4 }, () => [-5, 10] as [number, number]), 0, rosenbrock),
  continuous("ackley5", Array.from({ length: 5 }, () => [-32.768, 32.768] as [number, number]), 0, ackley),
  continuous("levy4", Array.from({ length: 4 }, () => [-10, 10] as [number, number]), 0, levy),
  cnnSweep,
];
