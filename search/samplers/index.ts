export * from "./grid-sampler";
export * from "./quasi-random-sampler";
export * from "./random-sampler";
export * from "./registry";
export { hashName, trialRng } from "./trial-stream";
export { createTpeSampler, type TpeOptions } from "./tpe/index";
export { createGpSampler, type GpOptions } from "./gp/index";
