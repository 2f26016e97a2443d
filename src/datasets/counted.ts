/**
 * A count with its noun in the number it takes, for the messages and warnings a planner reads:
 * `1 line`, `2 lines`, `1 new SKU` (a noun whose plural is not the noun and an s passes it).
 */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
