// A small per-process cache of loads in flight or done: parsed datasets are big, so only the last few are kept,
// and a failed load is forgotten so the next trial tries again (the user may have fixed the file meanwhile).
export function boundedPromiseCache<T>(size: number): (key: string, load: () => Promise<T>) => Promise<T> {
  const entries = new Map<string, Promise<T>>();
  return (key, load) => {
    let entry = entries.get(key);
    if (!entry) {
      entry = load();
      entry.catch(() => entries.delete(key));
      entries.set(key, entry);
      while (entries.size > size) entries.delete(entries.keys().next().value as string);
    }
    return entry;
  };
}
