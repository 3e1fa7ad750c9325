export { pedAnovaImportance, type ImportanceOptions, type ParamImportance } from "./ped-anova";
