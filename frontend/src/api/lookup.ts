/**
 * A table's entry for a value the Go side sends as a plain string (a state,
 * a kind): undefined for one the table does not know, so a screen falls
 * back instead of failing on a newer backend's value.
 */
export function lookup<V>(table: Partial<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
