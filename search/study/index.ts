export { Study, createStudy, NEVER_PRUNE, type CreateStudyOptions, type StoredTrial } from "./study";
export { Trial } from "./trial";
export type { AsyncObjective, Objective, OptimizeAsyncOptions } from "./optimize";
export { sampleConfiguration } from "./propose";
