import { describe, it, expect } from 'vitest';
import { Utf8Validator, firstInvalidUtf8 } from '../../src/sources/utf8.ts';

const b = (...x: number[]) => Uint8Array.from(x);
const valid = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('firstInvalidUtf8', () => {
  it('accepts valid text of every sequence length', () => {
    expect(firstInvalidUtf8(new TextEncoder().encode('aé€😀 Ó'))).toBe(-1);
    expect(firstInvalidUtf8(b())).toBe(-1);
  });
  it('points at the start of the bad sequence', () => {
    expect(firstInvalidUtf8(b(0x61, 0xc3, 0x28))).toBe(1); // bad continuation
    expect(firstInvalidUtf8(b(0x61, 0x80))).toBe(1); // stray continuation
    expect(firstInvalidUtf8(b(0xc0, 0xaf))).toBe(0); // overlong
    expect(firstInvalidUtf8(b(0x61, 0xe0, 0x80, 0x80))).toBe(1); // overlong 3-byte
    expect(firstInvalidUtf8(b(0xed, 0xa0, 0x80))).toBe(0); // surrogate
    expect(firstInvalidUtf8(b(0xf4, 0x90, 0x80, 0x80))).toBe(0); // > U+10FFFF
    expect(firstInvalidUtf8(b(0x61, 0x62, 0xff))).toBe(2);
    expect(firstInvalidUtf8(b(0x61, 0xe2, 0x82))).toBe(1); // cut short at the end
  });
  it('works across chunk boundaries with absolute offsets', () => {
    const v = new Utf8Validator();
    expect(v.push(b(0x61, 0xe2))).toBe(-1);
    expect(v.push(b(0x82, 0xac, 0x62, 0xf0, 0x9f))).toBe(-1);
    expect(v.push(b(0x98))).toBe(-1);
    expect(v.push(b(0x28))).toBe(5);
  });
  it('agrees with a fatal TextDecoder on random bytes, and the prefix before the offset is valid', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pool = [0x41, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xa0, 0x9f, 0x90, 0x8f, 0xc0, 0xff];
    for (let n = 0; n < 5000; n++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => pool[Math.floor(rnd() * pool.length)]!);
      const at = firstInvalidUtf8(bytes);
      expect(at === -1).toBe(valid(bytes));
      if (at >= 0) expect(valid(bytes.subarray(0, at))).toBe(true);
    }
  });
});
