// One side of a merge-join: a stream of rows in group-key order, read one group at a time.
// `fill(key)` fetches (the only await, and only when the buffered batch ends before `key`) until
// every row up to `key` is buffered; `take` then hands the group out synchronously, so most source
// records cost no promise per checker. Memory: the buffered batch, and one more at a batch edge.
// Rows before the asked-for group are handed to a callback.
import { compareKeys, keyText, type GroupKey } from './order.ts';

import type { Row } from './db.ts';

export type { Row } from './db.ts';

export class GroupReader {
  /** fetched batches; the current row is queue[0][at] */
  private readonly queue: Row[][] = [];
  private at = 0;
  private headRow: Row | null = null;
  /** the current row's key (kept after it is consumed, for the order check of the next) */
  private headKey: GroupKey | null = null;
  /** the key of the last row fetched */
  private lastKey: GroupKey | null = null;
  private ended = false;
  /**
   * The group handed out by the last take: its first `size` entries. Reused and never shortened
   * (an array set to length 0 gives up its backing store, and every group would allocate anew).
   */
  readonly group: Row[] = [];
  size = 0;
  /** Rows read so far. */
  count = 0;

  constructor(
    private readonly batches: AsyncIterator<Row[]>,
    private readonly keyOf: (row: Row) => GroupKey,
  ) {}

  private async fetchOne(): Promise<void> {
    const r = await this.batches.next();
    if (r.done || r.value.length === 0) {
      this.ended = true;
      return;
    }
    this.queue.push(r.value);
    this.lastKey = this.keyOf(r.value[r.value.length - 1]!);
  }

  /** Buffer every row with a key up to `key` (a promise only when something must be fetched). */
  fill(key: GroupKey): Promise<void> | undefined {
    if (this.ended || (this.lastKey !== null && compareKeys(this.lastKey, key) > 0)) return undefined;
    return (async () => {
      while (!this.ended && (this.lastKey === null || compareKeys(this.lastKey, key) <= 0)) await this.fetchOne();
    })();
  }

  /** The current row, or null when the buffer is empty. Checks key order. */
  private peek(): Row | null {
    if (this.headRow !== null) return this.headRow;
    while (this.queue.length && this.at >= this.queue[0]!.length) {
      this.queue.shift();
      this.at = 0;
    }
    if (!this.queue.length) return null;
    const row = this.queue[0]![this.at]!;
    const key = this.keyOf(row);
    if (this.headKey && compareKeys(key, this.headKey) < 0) {
      throw new Error(`target rows are not in key order (the ORDER BY and the comparator disagree at ${keyText(key)})`);
    }
    this.count++;
    this.headRow = row;
    this.headKey = key;
    return row;
  }

  private consume(): void {
    this.headRow = null;
    this.at++;
  }

  /**
   * Take the rows of group `key`, after `fill(key)`: they are `group[0 .. size)` until the next
   * take; the count is returned. Rows of earlier groups (no source record asked for them) go to
   * `before`, in order.
   */
  take(key: GroupKey, before: (row: Row, key: GroupKey) => void): number {
    const g = this.group;
    let n = 0;
    for (;;) {
      const row = this.peek();
      if (row === null) {
        if (!this.ended) throw new Error(`group ${keyText(key)} taken before it was filled`);
        break;
      }
      const c = compareKeys(this.headKey!, key);
      if (c > 0) break;
      if (c < 0) before(row, this.headKey!);
      else g[n++] = row;
      this.consume();
    }
    for (let i = n; i < this.size; i++) g[i] = null as never; // hold no row past its group
    this.size = n;
    return n;
  }

  /** The rows of the last take, as a new array (for tests and rare paths). */
  taken(): Row[] {
    return this.group.slice(0, this.size);
  }

  /** Every row left (after the last source record), a batch at a time. */
  async rest(after: (row: Row, key: GroupKey) => void): Promise<void> {
    for (;;) {
      let row: Row | null;
      while ((row = this.peek()) !== null) {
        after(row, this.headKey!);
        this.consume();
      }
      if (this.ended) return;
      await this.fetchOne();
    }
  }

  async close(): Promise<void> {
    await this.batches.return?.();
  }
}
