// `npm run bench:train -- --variant a,b|every [--reference]`: each template variant of the reference CNN
// (bench/train/variants.ts) trained by our engine and, with --reference, by PyTorch on the same architecture
// (bench/train/variants_torch.py), alternating ours and PyTorch variant by variant and round by round (this shared
// machine's speed drifts by ±20% over minutes). Returns the report: per-variant medians and ours / PyTorch.
import os from "node:os";
import { percentile } from "../shared/stats";
import { runJson, type Run } from "./child-run";
import { VARIANTS, variantNames } from "./variants";

export interface VariantOptions {
  root: string;
  variants: string;
  engine: string;
  rounds: number;
  images: string;
  epochs: string;
  reference: boolean;
  torchDense: string;
  torchPython: string;
}

function torchArgs(name: string, options: VariantOptions): string[] {
  const { bn, ...valued } = VARIANTS[name].torch;
  return [
    "bench/train/variants_torch.py", "--threads", "1", "--dense", options.torchDense, "--images", options.images, "--epochs", options.epochs,
    ...(bn ? ["--bn"] : []),
    ...Object.entries(valued).flatMap(([flag, value]) => (value === undefined ? [] : [`--${flag}`, String(value)])),
  ];
}

export function compareVariants(options: VariantOptions) {
  const names = variantNames(options.variants);
  const ours = new Map<string, number[]>();
  const torch = new Map<string, number[]>();
  const errors: string[] = [];
  const record = (into: Map<string, number[]>, name: string, side: string, run: Run | { error: string }) => {
    if ("error" in run) return void errors.push(run.error);
    into.set(name, [...(into.get(name) ?? []), ...run.images_per_s]);
    console.error(`${name} ${side}: ${run.images_per_s.map((v) => v.toFixed(0)).join(", ")} images/s`);
  };
  const loadBefore = os.loadavg()[0];
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names) {
      const engineArgs = ["--import", "tsx", "bench/train/engine-run.ts", "--engine", options.engine, "--variant", name, "--images", options.images, "--epochs", options.epochs];
      // Who goes first alternates too, so neither side always runs right after the other's warm caches.
      const sides = [
        () => record(ours, name, options.engine, runJson(process.execPath, engineArgs, options.root)),
        () => options.reference && record(torch, name, "pytorch", runJson(options.torchPython, torchArgs(name, options), options.root)),
      ];
      if (round % 2 === 1) sides.reverse();
      sides.forEach((side) => side());
    }
  }
  const median = (values: number[] | undefined) => (values && values.length ? Math.round(percentile(values, 50)) : null);
  const variants = Object.fromEntries(
    names.map((name) => {
      const mine = median(ours.get(name));
      const theirs = median(torch.get(name));
      return [name, {
        ours_images_per_s: mine,
        pytorch_images_per_s: theirs,
        ratio_vs_pytorch: mine && theirs ? +(mine / theirs).toFixed(3) : null,
        ours_samples: (ours.get(name) ?? []).map(Math.round),
        pytorch_samples: (torch.get(name) ?? []).map(Math.round),
      }];
    }),
  );
  const reference = median(ours.get("reference"));
  return {
    benchmark: "train-throughput-variants",
    model: "reference CNN (Conv32-3 > MaxPool > Conv64-3 > MaxPool > Flatten > Dense128 > Dense10, Adam 1e-3, batch 64) and its template variants",
    timing: `median of timed ${options.images}-image epochs after one warm-up epoch, ${options.rounds} rounds, ours and PyTorch alternating per variant; one thread each`,
    engine: options.engine,
    pytorch: options.reference ? `bench/train/variants_torch.py, ${options.torchDense} dense, 1 thread, random inputs` : null,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    load_average_1m: { before: +loadBefore.toFixed(2), after: +os.loadavg()[0].toFixed(2) },
    variants,
    // Our slowdown per variant relative to our reference CNN (the 'images/s' table, as ratios).
    ours_relative_to_reference: reference
      ? Object.fromEntries(names.map((name) => [name, median(ours.get(name)) ? +(median(ours.get(name))! / reference).toFixed(3) : null]))
      : undefined,
    errors: errors.length > 0 ? errors : undefined,
  };
}
