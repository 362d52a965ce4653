// A small fixed-size HyperLogLog (2^10 one-byte registers, about 3% standard error): distinct
// counts for profiles with flat memory. The same code runs on both sides, so equal multisets of
// values give identical registers and identical estimates.

const P = 10;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

/**
 * A 32-bit hash of a string: FNV-1a over its UTF-16 units in two interleaved lanes (even and odd
 * units: two independent multiply chains run side by side, which matters for long narratives),
 * combined and finished with murmur3's finaliser. 32 bits are plenty here: the top 10 choose the
 * register, the other 22 give the rank.
 */
function hashString(s: string): number {
  const n = s.length;
  let a = 0x811c9dc5 ^ n;
  let b = 0x050c5d1f;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    a = Math.imul(a ^ s.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ s.charCodeAt(i + 1), 0x01000193);
  }
  if (i < n) a = Math.imul(a ^ s.charCodeAt(i), 0x01000193);
  return fmix(a ^ Math.imul(b ^ (b >>> 15), 0x2c1b3c6d));
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A 32-bit hash of a number's IEEE bits (both halves mixed, then the finaliser). */
function hashNumber(v: number): number {
  f64[0] = v;
  return fmix(Math.imul(u32[0]! ^ 0x9e3779b9, 0x85ebca6b) ^ u32[1]!);
}

const RANK_BITS = 32 - P;

export class HyperLogLog {
  readonly registers = new Uint8Array(M);

  /** Add a value: text, or a number (hashed by value, so 1 and '1' differ; one kind per profile). */
  add(value: string | number): void {
    const h = typeof value === 'number' ? hashNumber(value) : hashString(value);
    const rest = h << P; // the low RANK_BITS bits, at the top
    const rank = rest === 0 ? RANK_BITS + 1 : Math.clz32(rest) + 1;
    const index = h >>> RANK_BITS;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = this.registers[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const e = (ALPHA * M * M) / sum;
    if (e <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros)); // linear counting for small sets
    return Math.round(e);
  }
}
