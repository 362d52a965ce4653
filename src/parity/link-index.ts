// A two-way link table between two id spaces (events and people, say), with a one-byte payload
// (a role code) per link, kept in a PageCache (paged.ts).
//
// Links arrive in any order. freeze() sorts them into compressed sparse rows, both ways: for each
// id, the offset of its first link, then each link's other end and payload. The rows are placed
// a range of ids at a time, so that only one chunk of links is in memory.
import { PagedInt32, PagedUint8, type PageCache } from './paged.ts';

/** Links placed in memory at once while freezing (1,048,576: 5 MB). */
const CHUNK = 1 << 20;

/** One direction: offsets by id, then each link's other end and payload. */
class Rows {
  readonly offsets: PagedInt32;
  readonly targets: PagedInt32;
  readonly payload: PagedUint8;
  constructor(cache: PageCache) {
    this.offsets = new PagedInt32(cache);
    this.targets = new PagedInt32(cache);
    this.payload = new PagedUint8(cache);
  }

  /** Sort links (src[i] → dst[i], pay[i]) by src into rows over ids [0, n). */
  build(src: PagedInt32, dst: PagedInt32, pay: PagedUint8, n: number): void {
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < src.length; i++) offsets[src.get(i) + 1]!++;
    for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
    this.offsets.append(offsets);
    for (let lo = 0; lo < n; ) {
      let hi = lo + 1;
      while (hi < n && offsets[hi + 1]! - offsets[lo]! <= CHUNK) hi++;
      const base = offsets[lo]!;
      const size = offsets[hi]! - base;
      const targets = new Int32Array(size);
      const payload = new Uint8Array(size);
      const pos = offsets.slice(lo, hi);
      for (let i = 0; i < src.length; i++) {
        const s = src.get(i);
        if (s < lo || s >= hi) continue;
        const k = pos[s - lo]!++ - base;
        targets[k] = dst.get(i);
        payload[k] = pay.get(i);
      }
      this.targets.append(targets);
      this.payload.append(payload);
      lo = hi;
    }
  }

  visit(i: number, fn: (t: number, p: number) => void): void {
    if (i < 0 || i + 1 >= this.offsets.length) return;
    const end = this.offsets.get(i + 1);
    for (let k = this.offsets.get(i); k < end; k++) fn(this.targets.get(k), this.payload.get(k));
  }
}

export class LinkIndex {
  private readonly a: PagedInt32;
  private readonly b: PagedInt32;
  private readonly p: PagedUint8;
  private readonly fwd: Rows;
  private readonly rev: Rows;
  private frozen = false;
  constructor(cache: PageCache) {
    this.a = new PagedInt32(cache);
    this.b = new PagedInt32(cache);
    this.p = new PagedUint8(cache);
    this.fwd = new Rows(cache);
    this.rev = new Rows(cache);
  }
  add(from: number, to: number, payload = 0): void {
    if (this.frozen) throw new Error('LinkIndex: add after freeze');
    this.a.push(from);
    this.b.push(to);
    this.p.push(payload);
  }
  get size(): number {
    return this.frozen ? this.fwd.targets.length : this.a.length;
  }
  freeze(nFrom: number, nTo: number): void {
    if (this.frozen) return;
    this.fwd.build(this.a, this.b, this.p, nFrom);
    this.rev.build(this.b, this.a, this.p, nTo);
    this.a.drop();
    this.b.drop();
    this.p.drop();
    this.frozen = true;
  }
  /** Targets of `from`, with payloads, visited in the order the links were added. */
  forward(from: number, fn: (to: number, payload: number) => void): void {
    this.fwd.visit(from, fn);
  }
  reverse(to: number, fn: (from: number, payload: number) => void): void {
    this.rev.visit(to, fn);
  }
}
