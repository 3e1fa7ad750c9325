// Orders parameters so that each comes after the ones its conditions read (stable: document order otherwise),
// or finds a cycle to report.

interface Dependent {
  name: string;
  dependsOn: string[];
}

/** Kahn's algorithm with the ready nodes in a min-heap of document positions: each step places the earliest node
 *  whose dependencies are placed, in O((nodes + edges) log nodes). A per-layer space has thousands of nodes, so
 *  the scan-every-node-per-step version was quadratic. Dependencies on names outside `nodes` are ignored. */
export function orderByDependencies<T extends Dependent>(nodes: T[]): { nodes: T[] } | { cycle: string[] } {
  const index = new Map(nodes.map((node, i) => [node.name, i]));
  const waitingOn = new Array<number>(nodes.length).fill(0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((node, i) => {
    for (const d of new Set(node.dependsOn)) {
      const j = index.get(d);
      if (j === undefined) continue;
      waitingOn[i] += 1;
      dependents[j].push(i);
    }
  });
  const ready = new MinHeap();
  waitingOn.forEach((n, i) => n === 0 && ready.push(i));
  const ordered: T[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    ordered.push(nodes[i]);
    for (const j of dependents[i]) if (--waitingOn[j] === 0) ready.push(j);
  }
  if (ordered.length < nodes.length) return { cycle: findCycle(nodes.filter((_, i) => waitingOn[i] > 0)) };
  return { nodes: ordered };
}

/** Follows dependencies among the unplaceable nodes until one repeats: that loop is a cycle. */
function findCycle<T extends Dependent>(remaining: T[]): string[] {
  const byName = new Map(remaining.map((n) => [n.name, n]));
  const path: string[] = [];
  const seen = new Set<string>();
  let current: T | undefined = remaining[0];
  while (current && !seen.has(current.name)) {
    path.push(current.name);
    seen.add(current.name);
    current = current.dependsOn.map((d) => byName.get(d)).find((n) => n !== undefined);
  }
  if (!current) return path;
  return [...path.slice(path.indexOf(current.name)), current.name];
}

class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    a.push(value);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
