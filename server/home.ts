// Where Sweepboard keeps its state (embedded database, tokens, dataset caches). Kept free of imports so a trainer
// process can find its caches without loading the server's configuration code.
import path from "node:path";

/** SWEEPBOARD_HOME when unset, relative to the working directory (trainer processes inherit both). */
export const DEFAULT_SWEEPBOARD_HOME = ".sweepboard";

export const sweepboardHome = (env: NodeJS.ProcessEnv = process.env): string => path.resolve(env.SWEEPBOARD_HOME || DEFAULT_SWEEPBOARD_HOME);
