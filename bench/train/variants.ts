// The template options issue 12 measures one at a time on the reference CNN: each variant is the reference's
// template parameters plus overrides (what a trial with that option trains), and the same architecture's
// switches for the PyTorch side (bench/train/variants_torch.py).
import type { Params } from "../../search/parameters";
import { referenceCnnParams } from "../../server/training/cnn-model";

export interface Variant {
  /** Template parameters on top of referenceCnnParams(). */
  params: Params;
  /** bench/train/variants_torch.py switches for the same architecture. */
  torch: {
    bn?: boolean; pad?: number; cdrop?: number; ddrop?: number;
    pool?: "avg" | "none"; head?: "gap"; stride?: number; kernel?: number; act?: string;
  };
}

export const VARIANTS: Record<string, Variant> = {
  reference: { params: {}, torch: {} },
  batch_norm: { params: { batch_norm: true }, torch: { bn: true } },
  same_padding: { params: { padding: "same" }, torch: { pad: 1 } },
  conv_dropout: { params: { conv_dropout: 0.2 }, torch: { cdrop: 0.2 } },
  dense_dropout: { params: { dropout: 0.3 }, torch: { ddrop: 0.3 } },
  all: { params: { batch_norm: true, padding: "same", conv_dropout: 0.2, dropout: 0.3 }, torch: { bn: true, pad: 1, cdrop: 0.2, ddrop: 0.3 } },
  // The bullet's other options, one at a time (valid padding, so a kernel of 9 still leaves 28 > 20 > 10 > 2 > 1).
  avg_pooling: { params: { pooling: "avg" }, torch: { pool: "avg" } },
  global_average: { params: { head: "global_average" }, torch: { head: "gap" } },
  strides_2: { params: { strides: 2 }, torch: { stride: 2 } },
  kernel_1: { params: { kernel_size: 1 }, torch: { kernel: 1 } },
  kernel_5: { params: { kernel_size: 5 }, torch: { kernel: 5 } },
  kernel_7: { params: { kernel_size: 7 }, torch: { kernel: 7 } },
  kernel_9: { params: { kernel_size: 9 }, torch: { kernel: 9 } },
  elu: { params: { activation: "elu" }, torch: { act: "elu" } },
  leaky_relu: { params: { activation: "leaky_relu" }, torch: { act: "leaky_relu" } },
  tanh: { params: { activation: "tanh" }, torch: { act: "tanh" } },
  sigmoid: { params: { activation: "sigmoid" }, torch: { act: "sigmoid" } },
};

export function variantNames(list: string): string[] {
  const names = list === "every" ? Object.keys(VARIANTS) : list.split(",");
  for (const name of names) {
    if (!VARIANTS[name]) throw new Error(`unknown variant '${name}' (known: ${Object.keys(VARIANTS).join(", ")}, or every)`);
  }
  return names;
}

export const variantParams = (name: string): Params => ({ ...referenceCnnParams(), ...VARIANTS[name].params });
