// JSON-ready data for the dashboard's study views; each builder is O(n) or O(n log n) in the number of trials.
export { optimizationHistory, type HistoryPoint, type OptimizationHistory } from "./history";
export { parallelCoordinates, type ParallelCoordinates } from "./parallel-coordinates";
export { sliceData, type SlicePanel } from "./slice";
export { learningCurves, type LearningCurve } from "./learning-curves";
export { axisOf, coordinate, type ParamAxis } from "./axes";
export type { SpaceLike } from "./inputs";
