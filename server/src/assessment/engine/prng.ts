/**
 * Seeded randomness for the engine and the simulator (no Math.random: every assessment must replay).
 */

/** Avalanching 32-bit integer hash (MurmurHash3's finaliser); returns an unsigned int. */
export function hashInt(x: number): number {
  let h = x | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** FNV-1a over UTF-16 code units, so string ids (assessment ids, challenge ids) can seed the engine. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Mixes several integers into one seed. */
export function mixSeeds(...values: number[]): number {
  let h = 0x9e3779b9
  for (const v of values) h = hashInt(h ^ hashInt(v))
  return h
}

/** A uniform float in [0, 1) from a 32-bit hash. */
export function toUnit(h: number): number {
  return (h >>> 0) / 4294967296
}

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Standard normal draw (Box–Muller) from a uniform source. */
export function normal(rand: () => number): number {
  const u = 1 - rand()
  const v = rand()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}
