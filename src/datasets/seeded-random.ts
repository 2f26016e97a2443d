/**
 * mulberry32: a small, fast, well-mixed 32-bit PRNG; the same seed gives the same stream. The
 * sample dataset uses it so every run sees the same numbers, the store suite and the chaos run so
 * a failing random sequence can be replayed from its seed.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
