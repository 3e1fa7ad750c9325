// The GP's view of a search space: one coordinate per non-constant parameter. Numeric parameters map to [0,1] on
// their internal axis (log axis for log parameters, bins for grids); categoricals are indices compared by the
// kernel with a Hamming distance; inactive parameters are NaN. Optimisers move "raw" points that always hold a
// value in every coordinate; `snap` turns one into the legal, condition-respecting point the model evaluates.
import type { Params } from "../../parameters";
import type { SearchSpace } from "../../types";
import { keepActive } from "../../space/conditions";
import { categoryIndex, domainOf, fromInternal, toInternal, type Domain, type NumericDomain } from "../shared-math-domain";

export class SpaceEncoding {
  readonly names: string[];
  readonly domains: Domain[];
  readonly categorical: boolean[];
  private readonly conditional: boolean;

  constructor(private readonly space: SearchSpace) {
    this.names = Object.keys(space).filter((name) => domainOf(space[name].spec) !== null);
    this.domains = this.names.map((name) => domainOf(space[name].spec)!);
    this.categorical = this.domains.map((d) => d.kind === "categorical");
    this.conditional = Object.values(space).some((p) => (p.when ?? []).length > 0);
  }

  get dims(): number {
    return this.names.length;
  }

  get hasConditions(): boolean {
    return this.conditional;
  }

  /** Encoded point of a trial's parameters; absent or unknown values are NaN (inactive). */
  encode(params: Params): Float64Array {
    return Float64Array.from(this.domains, (domain, d) => {
      const value = params[this.names[d]];
      if (value === undefined) return NaN;
      if (domain.kind === "categorical") {
        const index = categoryIndex(domain, value);
        return index < 0 ? NaN : index;
      }
      return this.unitOf(domain, Number(value));
    });
  }

  /** Legal values for a raw point, active parameters only (constants included). */
  decode(raw: ArrayLike<number>): Params {
    const all: Params = {};
    for (const name of Object.keys(this.space)) {
      const spec = this.space[name].spec;
      if (spec.kind === "constant") all[name] = spec.value;
    }
    this.domains.forEach((domain, d) => {
      if (domain.kind === "categorical") {
        const k = domain.values.length;
        all[this.names[d]] = domain.values[Math.min(k - 1, Math.max(0, Math.round(raw[d])))];
      } else {
        const u = Math.min(1, Math.max(0, raw[d]));
        all[this.names[d]] = fromInternal(domain, domain.lo + u * (domain.hi - domain.lo));
      }
    });
    return this.hasConditions ? keepActive(this.space, all) : all;
  }

  snap(raw: ArrayLike<number>): Float64Array {
    return this.encode(this.decode(raw));
  }

  /** snap(raw) written into out[offset..]; without conditions it works coordinate by coordinate, building no
   *  parameter object (the acquisition optimiser snaps thousands of points per trial). */
  snapInto(raw: ArrayLike<number>, out: Float64Array, offset: number): void {
    if (this.conditional) {
      out.set(this.snap(raw), offset);
      return;
    }
    this.domains.forEach((domain, d) => {
      if (domain.kind === "categorical") {
        out[offset + d] = Math.min(domain.values.length - 1, Math.max(0, Math.round(raw[d])));
      } else {
        const u = Math.min(1, Math.max(0, raw[d]));
        out[offset + d] = domain.step === undefined ? u : this.unitOf(domain, fromInternal(domain, domain.lo + u * (domain.hi - domain.lo)));
      }
    });
  }

  /** Raw values one step away at a discrete coordinate of a snapped point: the other categories, or the grid
   *  values next to the current one. Empty for continuous or inactive coordinates. */
  discreteMoves(snapped: ArrayLike<number>, d: number): number[] {
    const domain = this.domains[d];
    const current = snapped[d];
    if (Number.isNaN(current)) return [];
    if (domain.kind === "categorical") return domain.values.map((_, k) => k).filter((k) => k !== current);
    if (domain.step === undefined) return [];
    const value = fromInternal(domain, domain.lo + current * (domain.hi - domain.lo));
    return [value - domain.step, value + domain.step].filter((v) => v >= domain.min && v <= domain.max).map((v) => this.unitOf(domain, v));
  }

  private unitOf(domain: NumericDomain, value: number): number {
    return (toInternal(domain, value) - domain.lo) / (domain.hi - domain.lo);
  }

  /** A raw point from a point of the unit cube (categoricals take equal-width slices). */
  fromUnit(u: ArrayLike<number>): Float64Array {
    return Float64Array.from(this.domains, (domain, d) =>
      domain.kind === "categorical" ? Math.min(domain.values.length - 1, Math.floor(u[d] * domain.values.length)) : u[d],
    );
  }
}
