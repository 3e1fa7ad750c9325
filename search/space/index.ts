export * from "./conditions";
export * from "./parse";
export * from "./spec-values";
export { enumerateConfigurations, countConfigurations } from "./enumerate";
