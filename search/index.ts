export * from "./parameters";
export * from "./rng";
export * from "./random-sampler";
export * from "./trial-state";
