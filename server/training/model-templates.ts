// Builds a trial's model from its template and parameters: the one place the trainer picks a template.
import type * as tf from "@tensorflow/tfjs";
import type { Params } from "../../search/parameters";
import { buildCnn, cnnConfigFromParams } from "./cnn-model";
import type { ModelShape } from "./layer-blocks";
import { buildMlp, mlpConfigFromParams } from "./mlp-model";
import { TEMPLATE_NAMES, type TemplateName } from "./types";

export type ModelBuilder = (params: Params, trialSeed: number, shape: ModelShape) => tf.Sequential;

const BUILDERS: Record<TemplateName, ModelBuilder> = {
  cnn: (params, trialSeed, shape) => {
    const [height, width, channels] = shape.inputShape;
    if (shape.inputShape.length !== 3) throw new Error(`the cnn template needs images (got input shape [${shape.inputShape.join(", ")}]); use the mlp template`);
    return buildCnn(cnnConfigFromParams(params), trialSeed, { inputShape: [height, width, channels], numClasses: shape.numClasses });
  },
  mlp: (params, trialSeed, shape) => buildMlp(mlpConfigFromParams(params), trialSeed, shape),
};

/** The builder of a template; throws for a template this build does not know (a job from a newer server). */
export function modelBuilderFor(template: string): ModelBuilder {
  if (!(TEMPLATE_NAMES as readonly string[]).includes(template)) throw new Error(`unknown model template '${template}'`);
  return BUILDERS[template as TemplateName];
}
