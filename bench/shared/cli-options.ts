// `--name value` and `--flag` options for the benchmark scripts (they take a handful each; no parser needed).

export function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

export const flag = (name: string): boolean => process.argv.includes(`--${name}`);
