// A two-way link table between two id spaces (events and people, say), with a one-byte payload
// (a role code) per link, kept in a PageCache (paged.ts). Links arrive in any order; freeze()
// sorts them into compressed sparse rows both ways (PagedRows).
import { PagedInt32, PagedRows, PagedUint8, type PageCache } from './paged.ts';

export class LinkIndex {
  private readonly a: PagedInt32;
  private readonly b: PagedInt32;
  private readonly p: PagedUint8;
  private readonly fwd: PagedRows;
  private readonly rev: PagedRows;
  private frozen = false;
  constructor(cache: PageCache) {
    this.a = new PagedInt32(cache);
    this.b = new PagedInt32(cache);
    this.p = new PagedUint8(cache);
    this.fwd = new PagedRows(cache, true);
    this.rev = new PagedRows(cache, true);
  }
  add(from: number, to: number, payload = 0): void {
    if (this.frozen) throw new Error('LinkIndex: add after freeze');
    this.a.push(from);
    this.b.push(to);
    this.p.push(payload);
  }
  get size(): number {
    return this.frozen ? this.fwd.count : this.a.length;
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
