// The merge-join's target side: groups handed out in key order after fill, strays before them,
// the rest after the last source record, and a stream out of order refused.
import { describe, expect, it } from 'vitest';
import { GroupReader, type Row } from '../../src/reconcile/group-reader.ts';

async function* batches(rows: Row[], size: number): AsyncGenerator<Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
const keyOf = (r: Row) => [Number(r[0])];
const rows = (...keys: number[]): Row[] => keys.map((k, i) => [String(k), `r${i}`]);

describe('GroupReader', () => {
  it('hands out each group after fill, strays to the callback, and the rest at the end, across batch edges', async () => {
    const reader = new GroupReader(batches(rows(1, 2, 2, 2, 4, 5, 5, 7), 2), keyOf);
    const strays: string[] = [];
    const before = (r: Row) => strays.push(r[0]!);
    await reader.fill([5]);
    expect(reader.take([2], before)).toBe(3);
    expect(reader.taken().map((r) => r[1])).toEqual(['r1', 'r2', 'r3']);
    expect(strays).toEqual(['1']);
    expect(reader.take([3], before)).toBe(0);
    expect(reader.taken()).toEqual([]);
    expect(reader.take([5], before)).toBe(2);
    expect(reader.taken().map((r) => r[1])).toEqual(['r5', 'r6']);
    expect(reader.group[2]).toBeNull(); // no row held past its group
    expect(strays).toEqual(['1', '4']);
    const after: string[] = [];
    await reader.rest((r) => after.push(r[0]!));
    expect(after).toEqual(['7']);
    expect(reader.count).toBe(8);
  });

  it('refuses a group that was not filled, and a stream that goes back in key order', async () => {
    const unfilled = new GroupReader(batches(rows(1, 2, 3), 1), keyOf);
    await unfilled.fill([1]);
    expect(() => unfilled.take([3], () => {})).toThrow(/before it was filled/);

    const disordered = new GroupReader(batches(rows(1, 3, 2), 3), keyOf);
    await disordered.fill([3]);
    expect(() => disordered.take([3], () => {})).toThrow(/not in key order/);
  });

  it('fill fetches nothing more once the buffer already reaches past the key', async () => {
    let fetched = 0;
    async function* counting(): AsyncGenerator<Row[]> {
      for (const b of [rows(1, 2), rows(3, 4), rows(5, 6)]) { fetched++; yield b; }
    }
    const reader = new GroupReader(counting(), keyOf);
    await reader.fill([1]);
    expect(fetched).toBe(1);
    expect(reader.fill([1])).toBeUndefined();
    await reader.fill([2]); // key 2 may go on in the next batch: fetch it
    expect(fetched).toBe(2);
    expect(reader.fill([3])).toBeUndefined();
    expect(fetched).toBe(2);
  });
});
