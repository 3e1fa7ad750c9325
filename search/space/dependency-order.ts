// Orders parameters so that each comes after the ones its conditions read (stable: document order otherwise),
// or finds a cycle to report.

interface Dependent {
  name: string;
  dependsOn: string[];
}

export function orderByDependencies<T extends Dependent>(nodes: T[]): { nodes: T[] } | { cycle: string[] } {
  const index = new Map(nodes.map((node, i) => [node.name, i]));
  const placed = new Set<string>();
  const ordered: T[] = [];
  // Quadratic, but spaces have tens of parameters: each pass places the first node whose dependencies are placed.
  while (ordered.length < nodes.length) {
    const next = nodes.find((n) => !placed.has(n.name) && n.dependsOn.every((d) => placed.has(d) || !index.has(d)));
    if (!next) return { cycle: findCycle(nodes.filter((n) => !placed.has(n.name))) };
    placed.add(next.name);
    ordered.push(next);
  }
  return { nodes: ordered };
}

/** Follows dependencies among the unplaceable nodes until one repeats: that loop is a cycle. */
function findCycle<T extends Dependent>(remaining: T[]): string[] {
  const byName = new Map(remaining.map((n) => [n.name, n]));
  const path: string[] = [];
  let current: T | undefined = remaining[0];
  while (current && !path.includes(current.name)) {
    path.push(current.name);
    current = current.dependsOn.map((d) => byName.get(d)).find((n) => n !== undefined);
  }
  if (!current) return path;
  return [...path.slice(path.indexOf(current.name)), current.name];
}
