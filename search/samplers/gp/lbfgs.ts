// Box-constrained L-BFGS (projected steps with Armijo backtracking) as a generator that yields the points it needs
// evaluated: a hyperparameter fit can then pause between proposals, and the acquisition's local searches run in
// lock step so that each round's points share one batched posterior evaluation.

export interface Evaluation {
  value: number;
  grad: Float64Array;
}

export interface LbfgsOptions {
  lower: Float64Array;
  upper: Float64Array;
  maxIterations: number;
  memory?: number;
  /** Stop when the projected gradient's largest component falls below this. */
  gradientTolerance?: number;
  /** Stop when a step improves the value by less than this, relative to max(1, |value|). Default 1e-10. */
  relativeTolerance?: number;
  /** Largest coordinate move tried by the first (steepest-descent) step. Default 1. */
  initialStep?: number;
  /** Evaluations allowed in all (line searches included). Default unlimited. */
  maxEvaluations?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
}

/** Several independent minimisations advanced in lock step, so that each round's points are evaluated together
 *  (`f` receives one point per run still going, with the indices of those runs, and returns their evaluations). */
export function minimizeLbfgsTogether(f: (xs: Float64Array[], runs: number[]) => Evaluation[], starts: Float64Array[], options: LbfgsOptions[]): LbfgsResult[] {
  const runs = starts.map((x0, i) => lbfgsSteps(x0, options[i]));
  const requests = runs.map((run) => run.next());
  for (;;) {
    const pending = requests.flatMap((request, i) => (request.done ? [] : [i]));
    if (pending.length === 0) break;
    const evaluations = f(pending.map((i) => requests[i].value as Float64Array), pending);
    pending.forEach((i, k) => (requests[i] = runs[i].next(evaluations[k])));
  }
  return requests.map((request) => request.value as LbfgsResult);
}

/** Box-constrained L-BFGS as a generator: yields each point to evaluate and receives its evaluation. */
export function* lbfgsSteps(x0: Float64Array, options: LbfgsOptions): Generator<Float64Array, LbfgsResult, Evaluation> {
  const n = x0.length;
  const memory = options.memory ?? 8;
  const tol = options.gradientTolerance ?? 1e-5;
  const project = (x: Float64Array) => {
    for (let i = 0; i < n; i++) x[i] = Math.min(options.upper[i], Math.max(options.lower[i], x[i]));
    return x;
  };
  let x = project(Float64Array.from(x0));
  let { value, grad } = yield x;
  let evaluations = 1;
  const maxEvaluations = options.maxEvaluations ?? Infinity;
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  for (let iter = 0; iter < options.maxIterations; iter++) {
    if (projectedGradientNorm(x, grad, options) < tol) break;
    let direction = twoLoopDirection(grad, sHistory, yHistory);
    if (dot(direction, grad) >= 0) {
      direction = grad.map((g) => -g);
      sHistory.length = 0;
      yHistory.length = 0;
    }
    let step = iter === 0 ? Math.min(1, (options.initialStep ?? 1) / Math.max(1e-12, maxAbs(direction))) : 1;
    let accepted = false;
    // Ten halvings shrink the step a thousandfold: if that still does not decrease the value, the iterate has
    // converged to within rounding noise, and more tries would only burn evaluations.
    for (let tries = 0; tries < 10 && evaluations < maxEvaluations; tries++) {
      const candidate = project(x.map((xi, i) => xi + step * direction[i]));
      const moved = candidate.map((c, i) => c - x[i]);
      const result = yield candidate;
      evaluations++;
      if (Number.isFinite(result.value) && result.value <= value + 1e-4 * dot(grad, moved)) {
        const gradDelta = result.grad.map((g, i) => g - grad[i]);
        if (dot(moved, gradDelta) > 1e-12) {
          sHistory.push(moved);
          yHistory.push(gradDelta);
          if (sHistory.length > memory) {
            sHistory.shift();
            yHistory.shift();
          }
        }
        const improvement = value - result.value;
        x = candidate;
        value = result.value;
        grad = result.grad;
        accepted = improvement > (options.relativeTolerance ?? 1e-10) * Math.max(1, Math.abs(value));
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
  }
  return { x, value };
}

function twoLoopDirection(grad: Float64Array, s: Float64Array[], y: Float64Array[]): Float64Array {
  const q = Float64Array.from(grad);
  const alpha = new Float64Array(s.length);
  for (let i = s.length - 1; i >= 0; i--) {
    alpha[i] = dot(s[i], q) / dot(y[i], s[i]);
    for (let j = 0; j < q.length; j++) q[j] -= alpha[i] * y[i][j];
  }
  if (s.length > 0) {
    const last = s.length - 1;
    const gammaScale = dot(s[last], y[last]) / dot(y[last], y[last]);
    for (let j = 0; j < q.length; j++) q[j] *= gammaScale;
  }
  for (let i = 0; i < s.length; i++) {
    const beta = dot(y[i], q) / dot(y[i], s[i]);
    for (let j = 0; j < q.length; j++) q[j] += s[i][j] * (alpha[i] - beta);
  }
  return q.map((v) => -v);
}

function projectedGradientNorm(x: Float64Array, grad: Float64Array, options: LbfgsOptions): number {
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const projected = Math.min(options.upper[i], Math.max(options.lower[i], x[i] - grad[i])) - x[i];
    max = Math.max(max, Math.abs(projected));
  }
  return max;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
