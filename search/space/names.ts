// Short, bounded lists of names and values for error messages: a message must never grow with the size of the
// document it describes (one that listed every declared parameter made 10,000 errors cost quadratic time and memory).

/** Parameter names that would collide with Object.prototype members wherever a configuration is a plain object
 *  (`"constructor" in params` is true for every object), so a space may not declare them. */
export const RESERVED_PARAMETER_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

export function isReservedParameterName(name: string): boolean {
  return RESERVED_PARAMETER_NAMES.has(name);
}

/** "a, b, c …and 7 more": the first items of a collection of `total`, each cut to `maxItemLength`, the whole list
 *  cut to fit `maxChars`. Reads only the items it shows, so the caller may pass a lazy iterable. */
export function listItems(
  items: Iterable<string>,
  total: number,
  options: { max?: number; maxChars?: number; maxItemLength?: number } = {},
): string {
  const { max = 5, maxChars = 200, maxItemLength = 40 } = options;
  const shown: string[] = [];
  let chars = 0;
  for (const item of items) {
    if (shown.length >= max) break;
    const text = item.length > maxItemLength ? `${item.slice(0, maxItemLength - 1)}…` : item;
    if (shown.length > 0 && chars + text.length + 2 > maxChars) break;
    shown.push(text);
    chars += text.length + 2;
  }
  const rest = total - shown.length;
  return rest > 0 ? `${shown.join(", ")} …and ${rest} more` : shown.join(", ");
}
