// Seeded pseudo-random numbers for the synthetic generator: sfc32 (Chris Doty-Humphrey's
// Small Fast Counting generator, 128-bit state), seeded through xmur3 / a 32-bit mixer.
// Never Math.random(): the same seed must give byte-identical extracts.
//
// Each generated row gets its own generator, seeded from (seed, stream, row index). A row is
// then a pure function of its index, so another table can re-derive any row it refers to
// (a surname for a search, whether a crime is deleted) without holding the table in memory.

/** xmur3 string hash → 32-bit unsigned. */
export function hashString(s: string): number {
  let h = 1779033703 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 32-bit avalanche mixer (lowbias32). */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The 32-bit base of a seed. A number and its decimal string give the same base. */
export function seedBase(seed: number | string): number {
  return hashString(`cutover-synth:${String(seed)}`);
}

/** The seed of one named stream (a table, a file, a kind of derived value). */
export function streamSeed(base: number, name: string): number {
  return hashString(`${base.toString(16)}:${name}`);
}

/** A cheap deterministic 32-bit value of (stream, index): for values other tables need often. */
export function hashIndex(stream: number, i: number): number {
  return mix32(stream ^ mix32((i + 0x9e3779b9) >>> 0) ^ mix32(Math.floor(i / 4294967296) + 0x85ebca6b));
}

/** A cheap deterministic float in [0, 1) of (stream, index). */
export function unitIndex(stream: number, i: number): number {
  return hashIndex(stream, i) / 4294967296;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    for (let i = 0; i < 10; i++) this.u32();
  }

  /** The generator of row `i` of a stream. */
  static row(stream: number, i: number): Rng {
    const h = hashIndex(stream, i);
    return new Rng(stream, h, mix32(h ^ 0xdeadbeef), (i >>> 0) ^ 0x5bd1e995);
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.float() * arr.length)]!;
  }

  /** An index drawn from cumulative weights (last element = total). */
  weighted(cumulative: readonly number[]): number {
    const x = this.float() * cumulative[cumulative.length - 1]!;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A value from [value, weight] pairs. */
  choose<T>(table: Weighted<T>): T {
    return table.values[this.weighted(table.cumulative)]!;
  }
}

export interface Weighted<T> {
  values: readonly T[];
  cumulative: readonly number[];
}

/** Build a weighted table from [value, weight] pairs. */
export function weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  let total = 0;
  const cumulative = pairs.map(([, w]) => (total += w));
  return { values: pairs.map(([v]) => v), cumulative };
}
