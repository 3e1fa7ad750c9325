// Per sweep, the parts of its study that depend only on its configuration: the parsed search space, the sampler
// and the pruner. Built once per configuration key instead of once per planning pass, so what samplers memoise per
// space (the grid sampler's enumerated grid, up to 100,000 configurations; quasi-random sequences) survives between
// passes. Those memos are pure functions of the configuration, so reuse never changes a proposal. The study itself
// is still assembled from the stored trials (TrialCache) on each pass: that is what keeps proposals the same in a
// restarted process.
import { SearchError } from "../../search/errors";
import { Study } from "../../search/study/study";
import type { FrozenTrial, Pruner, Sampler, SearchSpace } from "../../search/types";
import { prunerFor, samplerFor } from "../sweeps/search-config";
import { searchSpaceOf, type SweepDocument } from "../sweeps/sweep-document";
import type { TrialRow } from "./trial-store";

interface Entry {
  key: string;
  space: SearchSpace;
  sampler: Sampler;
  pruner: Pruner | undefined;
  usedAt: number;
}

/** What the study's configuration is made of (the budget may change live and is not part of it). */
export function studyConfigurationKey(document: SweepDocument): string {
  return JSON.stringify([document.method, document.parameters, document.seed, document.metric, document.pruner ?? null]);
}

export class StudyCache {
  private readonly entries = new Map<string, Entry>();
  /** Configurations built so far (tests watch it). */
  builds = 0;

  /** The sweep's study over `frozen` (every stored trial, by number). */
  study(sweepId: string, document: SweepDocument, frozen: readonly FrozenTrial[]): Study {
    const { space, sampler, pruner } = this.parts(sweepId, document);
    return Study.fromTrials(frozen, { space, direction: document.metric.goal, sampler, pruner, seed: document.seed });
  }

  forget(sweepId: string): void {
    this.entries.delete(sweepId);
  }

  evictIdle(maxIdleMs: number, now = Date.now()): void {
    for (const [id, entry] of this.entries) if (now - entry.usedAt > maxIdleMs) this.entries.delete(id);
  }

  /** The configuration's space, sampler and pruner, built on first use. */
  parts(sweepId: string, document: SweepDocument): Readonly<Entry> {
    const key = studyConfigurationKey(document);
    let entry = this.entries.get(sweepId);
    if (!entry || entry.key !== key) {
      this.builds += 1;
      entry = { key, space: searchSpaceOf(document), sampler: samplerFor(document.method), pruner: prunerFor(document.pruner, document.metric.name), usedAt: 0 };
      this.entries.set(sweepId, entry);
    }
    entry.usedAt = Date.now();
    return entry;
  }
}

/** Up to `count` new trials proposed one after another (each sees the ones before it); `exhausted` when a finite
 *  space has no unused configuration left. */
export function proposeUpTo(study: Study, count: number): { trials: Pick<TrialRow, "number" | "params" | "systemAttrs">[]; exhausted: boolean } {
  const trials: Pick<TrialRow, "number" | "params" | "systemAttrs">[] = [];
  try {
    while (trials.length < count) {
      const frozen = study.ask().frozen();
      trials.push({ number: frozen.number, params: frozen.params, systemAttrs: { ...frozen.systemAttrs } });
    }
  } catch (error) {
    if (error instanceof SearchError && error.code === "space_exhausted") return { trials, exhausted: true };
    throw error;
  }
  return { trials, exhausted: false };
}
