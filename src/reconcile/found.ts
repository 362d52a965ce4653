// Counted findings with a few examples: the count is exact, the examples are capped.

export const MAX_EXAMPLES = 10;

export interface Found<T> {
  count: number;
  examples: T[];
}

export function found<T>(): Found<T> {
  return { count: 0, examples: [] };
}

/** Count one finding; build its example only while there is room. */
export function note<T>(f: Found<T>, example: () => T): void {
  f.count++;
  if (f.examples.length < MAX_EXAMPLES) f.examples.push(example());
}
