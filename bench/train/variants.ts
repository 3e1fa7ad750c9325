// The template options issue 12 measures one at a time on the reference CNN: each variant is the reference's
// template parameters plus overrides (what a trial with that option trains), and the same architecture's
// switches for the PyTorch side (bench/train/variants_torch.py).
import type { Params } from "../../search/parameters";
import { referenceCnnParams } from "../../server/training/cnn-model";

export interface Variant {
  /** Template parameters on top of referenceCnnParams(). */
  params: Params;
  /** bench/train/variants_torch.py switches for the same architecture. */
  torch: { bn?: boolean; pad?: number; cdrop?: number; ddrop?: number };
}

export const VARIANTS: Record<string, Variant> = {
  reference: { params: {}, torch: {} },
  batch_norm: { params: { batch_norm: true }, torch: { bn: true } },
  same_padding: { params: { padding: "same" }, torch: { pad: 1 } },
  conv_dropout: { params: { conv_dropout: 0.2 }, torch: { cdrop: 0.2 } },
  dense_dropout: { params: { dropout: 0.3 }, torch: { ddrop: 0.3 } },
  all: { params: { batch_norm: true, padding: "same", conv_dropout: 0.2, dropout: 0.3 }, torch: { bn: true, pad: 1, cdrop: 0.2, ddrop: 0.3 } },
};

export function variantNames(list: string): string[] {
  const names = list === "every" ? Object.keys(VARIANTS) : list.split(",");
  for (const name of names) {
    if (!VARIANTS[name]) throw new Error(`unknown variant '${name}' (known: ${Object.keys(VARIANTS).join(", ")}, or every)`);
  }
  return names;
}

export const variantParams = (name: string): Params => ({ ...referenceCnnParams(), ...VARIANTS[name].params });
