// The oracle's page cache (src/parity/paged.ts): columns larger than the cache stay exact.
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeVarints, PageCache, PagedInt32, PagedRows, PagedUint8, scratchWriteError } from '../../src/parity/paged.ts';
import { CutoverError } from '../../src/core/problems.ts';
import { mulberry32 } from '../../src/parity/compact.ts';

const small = (dir?: string) => new PageCache({ bytes: 4 * 64, pageBytes: 64, ...(dir ? { dir } : {}) });

describe('paged columns', () => {
  it('random writes and reads over many more pages than frames give back every value', () => {
    const cache = small();
    const a = new PagedInt32(cache, -1);
    const b = new PagedUint8(cache);
    const ref = new Int32Array(5000).fill(-1);
    const refB = new Uint8Array(5000);
    const rnd = mulberry32(7);
    for (let k = 0; k < 20_000; k++) {
      const i = Math.floor(rnd() * 5000);
      const v = Math.floor(rnd() * 2 ** 31) * (rnd() < 0.5 ? -1 : 1);
      a.set(i, v);
      ref[i] = v;
      b.set(i, v & 0xff);
      refB[i] = v & 0xff;
    }
    for (let i = 0; i < 5000; i++) {
      expect(a.get(i)).toBe(i < a.length ? ref[i] : -1);
      expect(b.get(i)).toBe(refB[i]);
    }
    expect(Array.from(a.slice(1234, 3456))).toEqual(Array.from(ref.subarray(1234, 3456)));
    expect(a.get(-1)).toBe(-1);
    expect(a.get(99_999)).toBe(-1);
    // 5000 int32 are 313 pages of 64 bytes for 4 frames: most pages went to the file and back
    expect(cache.writes).toBeGreaterThan(300);
    expect(cache.reads).toBeGreaterThan(300);
    expect(cache.residentBytes).toBe(4 * 64);
    cache.close();
  });

  it('appends, varints and slices across page ends', () => {
    const cache = small();
    const a = new PagedInt32(cache);
    const chunk = Int32Array.from({ length: 1000 }, (_, i) => i * 3 - 500);
    a.append(chunk.subarray(0, 7));
    a.append(chunk.subarray(7));
    expect(a.length).toBe(1000);
    expect(Array.from(a.slice(0, 1000))).toEqual(Array.from(chunk));
    const bytes = new PagedUint8(cache);
    const values = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31 - 1];
    for (let r = 0; r < 40; r++) for (const v of values) bytes.pushVarint(v);
    const enc = bytes.slice(0, bytes.length);
    // one byte up to 127, two up to 16,383, three from 16,384; five for 2^31 - 1
    expect(enc.length).toBe(40 * (1 + 1 + 1 + 2 + 2 + 2 + 3 + 5));
    expect(Array.from(enc.slice(0, 6))).toEqual([0, 1, 127, 0x80, 1, 0xac]);
    expect(decodeVarints(enc)).toEqual(Array.from({ length: 40 }, () => values).flat());
    cache.close();
  });

  it('a dropped column gives its file pages back; the others keep their values', () => {
    const cache = small();
    const keep = new PagedInt32(cache);
    const gone = new PagedInt32(cache);
    for (let i = 0; i < 400; i++) {
      keep.push(i);
      gone.push(-i);
    }
    const before = cache.fileBytes;
    gone.drop();
    expect(gone.length).toBe(0);
    const again = new PagedInt32(cache);
    for (let i = 0; i < 400; i++) again.push(i * 7);
    expect(cache.fileBytes).toBe(before); // reused, not grown
    for (let i = 0; i < 400; i++) {
      expect(keep.get(i)).toBe(i);
      expect(again.get(i)).toBe(i * 7);
    }
    cache.close();
  });

  it('the scratch file exists only as an open descriptor: nothing is left in its directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cutover-paged-'));
    try {
      const cache = small(dir);
      const a = new PagedInt32(cache);
      for (let i = 0; i < 1000; i++) a.push(i);
      expect(cache.writes).toBeGreaterThan(0);
      expect(readdirSync(dir)).toEqual([]);
      expect(a.get(3)).toBe(3);
      cache.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cache that never fills never opens a file', () => {
    const cache = new PageCache({ bytes: 1 << 20 });
    const a = new PagedInt32(cache);
    for (let i = 0; i < 10_000; i++) a.push(i);
    expect(cache.fileBytes).toBe(0);
    expect(cache.writes).toBe(0);
    cache.close();
  });

  it('a full disk under the scratch file is an error that names the directory and TMPDIR; other errors pass as they are', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const e = scratchWriteError(full, '/var/tmp', 300 * 1048576) as CutoverError;
    expect(e).toBeInstanceOf(CutoverError);
    expect(e.message).toMatch(/scratch file in \/var\/tmp ran out of disk space at 300 MB/);
    expect(e.message).toMatch(/TMPDIR/);
    expect(e.cause).toBe(full);
    const io = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    expect(scratchWriteError(io, '/var/tmp', 0)).toBe(io);
  });

  it('rows built from triples in any order: each id its values in the order given, through one range or many', () => {
    const rnd = mulberry32(11);
    const n = 300;
    const cache = small();
    const ids = new PagedInt32(cache);
    const values = new PagedInt32(cache);
    const payload = new PagedUint8(cache);
    const expected: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < 4000; i++) {
      // skewed: a few ids hold many values, many hold none
      const id = rnd() < 0.3 ? Math.floor(rnd() * 5) : Math.floor(rnd() * n);
      ids.push(id);
      values.push(i * 3);
      payload.push(i & 255);
      expected[id]!.push(i);
    }
    for (const chunk of [1 << 20, 100, 1]) {
      const rows = new PagedRows(cache, true, chunk);
      rows.build(ids, values, payload, n);
      expect(rows.count).toBe(4000);
      for (let id = 0; id < n; id++) {
        expect(Array.from(rows.row(id)), `id ${id}, chunk ${chunk}`).toEqual(expected[id]!.map((i) => i * 3));
        const seen: number[] = [];
        rows.visit(id, (v, p) => seen.push(v, p));
        expect(seen).toEqual(expected[id]!.flatMap((i) => [i * 3, i & 255]));
      }
      expect(rows.row(-1).length).toBe(0);
      expect(rows.row(n).length).toBe(0);
    }
    cache.close();
  });
});
