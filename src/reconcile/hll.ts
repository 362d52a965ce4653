// A small fixed-size HyperLogLog (2^10 one-byte registers, about 3% standard error): distinct
// counts for profiles with flat memory. The same code runs on both sides, so equal multisets of
// values give identical registers and identical estimates.

const P = 10;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

let h1 = 0;
let h2 = 0;

/** Two 32-bit hashes of a string (cyrb53's mixing), left in h1 and h2. */
function hash(s: string): void {
  let a = 0xdeadbeef ^ s.length;
  let b = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507);
  a ^= Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  h1 = a >>> 0;
  h2 = b >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Two 32-bit hashes of a number's IEEE bits (murmur3's finaliser on each half, cross-mixed). */
function hashNumber(v: number): void {
  f64[0] = v;
  let a = u32[0]! ^ 0x9e3779b9;
  let b = u32[1]! ^ 0x85ebca6b;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35) ^ b;
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35) ^ a;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ (b >>> 7);
  h1 = (a ^ (a >>> 15)) >>> 0;
  h2 = (b ^ (b >>> 15)) >>> 0;
}

export class HyperLogLog {
  readonly registers = new Uint8Array(M);

  /** Add a value: text, or a number (hashed by value, so 1 and '1' differ; one kind per profile). */
  add(value: string | number): void {
    if (typeof value === 'number') hashNumber(value);
    else hash(value);
    const index = h1 >>> (32 - P);
    const rank = h2 === 0 ? 33 : Math.clz32(h2) + 1;
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
