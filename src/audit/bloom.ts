// A Bloom filter over legacy audit ids: about 2 bytes per id instead of a Set's ~60, so the
// reconciliation can tell "certainly not in the source" (extra target rows) and "maybe seen
// before" (a repeated id in a re-export) in flat memory. No false negatives.

export class BloomFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private readonly k = 8;

  /** Sized for `expected` keys at 16 bits per key (false positives ≈ 0.05%), at least 2^16 bits, at most 2^31. */
  constructor(expected: number) {
    let m = 1 << 16;
    const want = Math.min(2 ** 31, Math.max(1, expected) * 16);
    while (m < want) m *= 2;
    this.bits = new Uint32Array(m / 32);
    this.mask = m - 1;
  }

  private hashes(key: string): [number, number] {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ key.length;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 ^= h1 >>> 13;
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 16;
    return [h1 >>> 0, (h2 | 1) >>> 0];
  }

  add(key: string): void {
    const [a, b] = this.hashes(key);
    for (let i = 0; i < this.k; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      const w = bit >>> 5;
      this.bits[w] = this.bits[w]! | (1 << (bit & 31));
    }
  }

  has(key: string): boolean {
    const [a, b] = this.hashes(key);
    for (let i = 0; i < this.k; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}
