// One side of a merge-join: a stream of rows in group-key order, read one group at a time.
// Only the current row is held; a group is handed out whole (one source record's rows, bounded
// by the size of a record), and rows before the asked-for group are handed to a callback.
import { compareKeys, type GroupKey } from './order.ts';

import type { Row } from './db.ts';

export type { Row } from './db.ts';

/** The empty group (shared: most records have no rows in most tables). */
const NONE: Row[] = [];

export class GroupReader {
  private head: Row | null = null;
  private headKey: GroupKey | null = null;
  private started = false;
  private batch: Row[] = [];
  private at = 0;
  /** Rows read so far. */
  count = 0;

  constructor(
    private readonly batches: AsyncIterator<Row[]>,
    private readonly keyOf: (row: Row) => GroupKey,
  ) {}

  /** Move to the next row: synchronous inside a batch; a promise only when a batch must be fetched. */
  private advance(): Promise<void> | undefined {
    if (this.at < this.batch.length) {
      this.setHead(this.batch[this.at++]!);
      return undefined;
    }
    return this.refill();
  }

  private async refill(): Promise<void> {
    const r = await this.batches.next();
    this.batch = r.done ? [] : r.value;
    this.at = 0;
    if (this.batch.length) this.setHead(this.batch[this.at++]!);
    else this.head = null;
  }

  private setHead(row: Row): void {
    this.count++;
    const key = this.keyOf(row);
    if (this.headKey && compareKeys(key, this.headKey) < 0) {
      throw new Error(`target rows are not in key order (the ORDER BY and the comparator disagree at ${JSON.stringify(key, (_, v) => (typeof v === 'bigint' ? String(v) : v))})`);
    }
    this.head = row;
    this.headKey = key;
  }

  /**
   * The rows of group `key`. Rows of earlier groups (no source record asked for them) go to
   * `before`, in order. The stream must be in key order: a row whose key goes backwards is an error.
   */
  async take(key: GroupKey, before: (row: Row, key: GroupKey) => void): Promise<Row[]> {
    if (!this.started) {
      this.started = true;
      { const p = this.advance(); if (p) await p; }
    }
    while (this.head && compareKeys(this.headKey!, key) < 0) {
      before(this.head, this.headKey!);
      { const p = this.advance(); if (p) await p; }
    }
    let group: Row[] = NONE;
    while (this.head && compareKeys(this.headKey!, key) === 0) {
      if (group === NONE) group = [];
      group.push(this.head);
      { const p = this.advance(); if (p) await p; }
    }
    return group;
  }

  /** Every row left (after the last source record). */
  async rest(after: (row: Row, key: GroupKey) => void): Promise<void> {
    if (!this.started) {
      this.started = true;
      { const p = this.advance(); if (p) await p; }
    }
    while (this.head) {
      after(this.head, this.headKey!);
      { const p = this.advance(); if (p) await p; }
    }
  }

  async close(): Promise<void> {
    await this.batches.return?.();
  }
}
