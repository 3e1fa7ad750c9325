// The public surface of the search library: `import { createStudy, parseSearchSpace, createSampler } from "./search"`.
export * from "./parameters";
export * from "./rng";
export * from "./trial-state";
export * from "./types";
export * from "./errors";
export * from "./hp";
export * from "./space/index";
export * from "./samplers/index";
export * from "./study/index";
export * from "./pruners/index";
export * from "./importance/index";
export * from "./analysis/index";
