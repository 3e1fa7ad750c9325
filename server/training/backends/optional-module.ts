// Optional packages (tfjs-node, webgpu) are used when installed and never required: resolve before importing.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Whether `name` can be resolved from this project (installed, and not broken). */
export function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Imports an optional package by a name TypeScript does not check (it may not be installed). */
export async function importOptional<T>(name: string): Promise<T> {
  return (await import(/* @vite-ignore */ name)) as T;
}
