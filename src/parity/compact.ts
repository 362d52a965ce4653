// Compact structures for the oracle, kept in a PageCache (paged.ts): key columns, key indexes,
// multimaps; and sorted-set operations. (Link indexes: link-index.ts; token indexes:
// token-index.ts.)
import { hashString, PagedFloat64, PagedInt32, PagedRows, PagedStringIds, PagedStrings, type PageCache } from './paged.ts';

/**
 * Record keys by slot. A key in canonical decimal form (most CRIS keys: `412345`, audit ids
 * `3000000001`) or a CRIS crime number (`0412345/19`) is held as a float64 code (numericKey), 8
 * bytes instead of a string of ~24; any other key (CRIMINT refs, inline items) as UTF-8.
 */
export class KeyColumn {
  /** numericKey, or -2 - n for the n-th key that has none (held in `others`). */
  private readonly nums: PagedFloat64;
  private readonly others: PagedStrings;
  constructor(cache: PageCache) {
    this.nums = new PagedFloat64(cache, -1);
    this.others = new PagedStrings(cache);
  }
  get length(): number {
    return this.nums.length;
  }
  push(key: string): number {
    const n = numericKey(key);
    return this.nums.push(n >= 0 ? n : -2 - this.others.push(key));
  }
  get(i: number): string {
    const n = this.nums.get(i);
    return n >= 0 ? keyOfCode(n) : this.others.get(-2 - n)!;
  }
  /** The slot's key as its numeric code (numericKey), else -1. */
  num(i: number): number {
    const n = this.nums.get(i);
    return n >= 0 ? n : -1;
  }
  /** The slot's key when it is not decimal. */
  other(i: number): string | undefined {
    const n = this.nums.get(i);
    return n < -1 ? this.others.get(-2 - n)! : undefined;
  }
}
/** Decimal without leading zeros, at most 15 digits (exact in a float64, printed back as written). */
const DECIMAL = /^(?:0|[1-9]\d{0,14})$/;
/** A CRIS crime number as written: 1–10 digits (leading zeros kept), `/`, a 2- or 4-digit year. */
const CRIME_NUMBER = /^(\d{1,10})\/(\d{2}|\d{4})$/;
/** Codes of crime numbers start here, past every decimal key (< 10^15), and stay below 2^53. */
const CRIME_BASE = 1e15;
/** Year strings: `00`–`99`, then `0000`–`9999`. */
const YEARS = 100 + 10_000;
/** Digit strings of fewer than n digits (lengths 1 … n-1): where those of n digits start. */
const shorter = (n: number): number => (10 ** n - 10) / 9;

/**
 * A key's numeric code, or -1: a canonical decimal key is its own value; a crime number is
 * CRIME_BASE + (its serial string's rank among digit strings) × YEARS + its year string's rank,
 * so that keyOfCode gives back the key exactly, leading zeros included.
 */
function numericKey(key: string): number {
  if (DECIMAL.test(key)) return Number(key);
  const m = CRIME_NUMBER.exec(key);
  if (!m) return -1;
  const [, serial, year] = m as unknown as [string, string, string];
  const yearRank = year.length === 2 ? Number(year) : 100 + Number(year);
  return CRIME_BASE + (shorter(serial.length) + Number(serial)) * YEARS + yearRank;
}

/** The key a numeric code stands for (the inverse of numericKey). */
function keyOfCode(n: number): string {
  if (n < CRIME_BASE) return String(n);
  const x = n - CRIME_BASE;
  const yearRank = x % YEARS;
  const serialRank = (x - yearRank) / YEARS;
  let digits = 1;
  while (shorter(digits + 1) <= serialRank) digits++;
  const serial = String(serialRank - shorter(digits)).padStart(digits, '0');
  const year = yearRank < 100 ? String(yearRank).padStart(2, '0') : String(yearRank - 100).padStart(4, '0');
  return `${serial}/${year}`;
}

const FREE = -1;
const GONE = -2;
/** Largest share of a key index's table in use (tombstones included) before it doubles. */
const MAX_LOAD = 0.7;

/**
 * Legacy key → slot (the latest occurrence): an open-addressing hash table of slots over the
 * table's KeyColumn, which already holds every key. So no key is held twice and nothing is on
 * the JavaScript heap: 4 bytes per table entry, where a Map held an entry of ~60 bytes and the
 * key's string (the oracle's build at scale 100,000: about 30 MB of heap). Keys with a numeric
 * code (decimal keys, crime numbers) are hashed and compared as codes, the others as strings.
 */
export class KeyIndex {
  private table: PagedInt32;
  private capacity = 1024;
  private used = 0;
  private frozen = false;
  constructor(
    private readonly cache: PageCache,
    private readonly keys: KeyColumn,
  ) {
    this.table = new PagedInt32(cache, FREE);
  }

  private slotHash(slot: number): number {
    const n = this.keys.num(slot);
    return n >= 0 ? hashNumber(n) : hashString(this.keys.other(slot)!);
  }
  private holds(slot: number, n: number, key: string): boolean {
    return n >= 0 ? this.keys.num(slot) === n : this.keys.num(slot) < 0 && this.keys.other(slot) === key;
  }
  /** The table position holding key, or -1. */
  private find(key: string): number {
    const n = numericKey(key);
    const t = this.table;
    const mask = this.capacity - 1;
    for (let at = (n >= 0 ? hashNumber(n) : hashString(key)) & mask; ; at = (at + 1) & mask) {
      const s = t.get(at);
      if (s === FREE) return -1;
      if (s !== GONE && this.holds(s, n, key)) return at;
    }
  }
  /** The slot of key, or undefined. */
  get(key: string): number | undefined {
    const at = this.find(key);
    return at < 0 ? undefined : this.table.get(at);
  }
  /** Index a slot under its own key; a key already indexed now finds this slot. */
  put(slot: number): void {
    if (this.frozen) throw new Error('KeyIndex: put after freeze');
    const n = this.keys.num(slot);
    const key = n >= 0 ? '' : this.keys.other(slot)!;
    const t = this.table;
    const mask = this.capacity - 1;
    let gone = -1;
    for (let at = this.slotHash(slot) & mask; ; at = (at + 1) & mask) {
      const s = t.get(at);
      if (s === FREE) {
        if (gone >= 0) t.set(gone, slot);
        else {
          t.set(at, slot);
          if (++this.used > MAX_LOAD * this.capacity) this.rehash(this.capacity * 2);
        }
        return;
      }
      if (s === GONE) {
        if (gone < 0) gone = at;
      } else if (this.holds(s, n, key)) {
        t.set(at, slot);
        return;
      }
    }
  }
  delete(key: string): void {
    if (this.frozen) throw new Error('KeyIndex: delete after freeze');
    const at = this.find(key);
    if (at >= 0) this.table.set(at, GONE);
  }
  /** Number of keys indexed. */
  get size(): number {
    let n = 0;
    for (let at = 0; at < this.capacity; at++) if (this.table.get(at) >= 0) n++;
    return n;
  }
  private rehash(capacity: number): void {
    const old = this.table;
    const oldCapacity = this.capacity;
    const t = new PagedInt32(this.cache, FREE);
    const mask = capacity - 1;
    let used = 0;
    for (let i = 0; i < oldCapacity; i++) {
      const s = old.get(i);
      if (s < 0) continue;
      let at = this.slotHash(s) & mask;
      while (t.get(at) !== FREE) at = (at + 1) & mask;
      t.set(at, s);
      used++;
    }
    old.drop();
    this.table = t;
    this.capacity = capacity;
    this.used = used;
  }
  /** After the build: the table right-sized, without tombstones; no more changes. */
  freeze(): void {
    if (this.frozen) return;
    const n = this.size;
    let capacity = 16;
    while (capacity * MAX_LOAD < n) capacity *= 2;
    this.rehash(capacity);
    this.frozen = true;
  }
  /** Drop every key (an index needed only while reading). */
  clear(): void {
    this.table.drop();
    this.capacity = 1;
    this.used = 0;
    this.frozen = true;
  }
}

/**
 * Slots by a key derived from each slot (an event's S13 reference key, from its record key), many
 * slots to a key: an open-addressing table of slots and their keys' hashes, built once over every
 * slot. No key is held: a candidate's key is derived again to confirm it. (A MultiMap of the
 * reference keys held each as a string with a map entry: 7 MB of heap at scale 100,000; this
 * table is 2 MB of typed arrays.)
 */
export class DerivedKeyIndex {
  private readonly slots: PagedInt32;
  private readonly hashes: PagedInt32;
  private capacity = 1;
  constructor(
    cache: PageCache,
    private readonly keyOf: (slot: number) => string | null,
  ) {
    this.slots = new PagedInt32(cache, FREE);
    this.hashes = new PagedInt32(cache);
  }

  /** Index slots [0, n) under their derived keys (a slot without one is left out). */
  build(n: number): void {
    let capacity = 16;
    while (capacity * MAX_LOAD < n) capacity *= 2;
    const { slots, hashes } = this;
    const mask = capacity - 1;
    for (let s = 0; s < n; s++) {
      const key = this.keyOf(s);
      if (key === null) continue;
      const h = hashString(key);
      let at = h & mask;
      while (slots.get(at) !== FREE) at = (at + 1) & mask;
      slots.set(at, s);
      hashes.set(at, h);
    }
    this.capacity = capacity;
  }

  /** The slots whose derived key is `key`, ascending. */
  get(key: string): Int32Array {
    const { slots, hashes } = this;
    const mask = this.capacity - 1;
    const h = hashString(key);
    const out: number[] = [];
    for (let at = h & mask; slots.get(at) !== FREE; at = (at + 1) & mask) {
      if (hashes.get(at) === h && this.keyOf(slots.get(at)) === key) out.push(slots.get(at));
    }
    return out.length === 0 ? EMPTY : Int32Array.from(out.sort((a, b) => a - b));
  }
}

/** 32-bit mix of an integral float64 up to 2^53. */
function hashNumber(n: number): number {
  const lo = n % 4294967296;
  const hi = (n - lo) / 4294967296;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/**
 * String key → ascending list of ints, paged. While building, each key gets a number
 * (PagedStringIds) and each value is appended with its key's number; freeze() sorts them into
 * rows (PagedRows). Values arrive in ascending order; a value equal to its key's last is not
 * added again.
 */
export class MultiMap {
  private readonly ids: PagedStringIds;
  private keyOf: PagedInt32 | null;
  private value: PagedInt32 | null;
  private last: PagedInt32 | null;
  private readonly rows: PagedRows;
  constructor(cache: PageCache) {
    this.ids = new PagedStringIds(cache);
    this.keyOf = new PagedInt32(cache);
    this.value = new PagedInt32(cache);
    this.last = new PagedInt32(cache, -1);
    this.rows = new PagedRows(cache, false);
  }
  add(k: string, v: number): void {
    if (!this.keyOf || !this.value || !this.last) throw new Error('MultiMap: add after freeze');
    const id = this.ids.add(k);
    if (this.last.get(id) === v) return;
    this.last.set(id, v);
    this.keyOf.push(id);
    this.value.push(v);
  }
  freeze(): void {
    if (!this.keyOf || !this.value || !this.last) return;
    this.rows.build(this.keyOf, this.value, null, this.ids.size);
    this.keyOf.drop();
    this.value.drop();
    this.last.drop();
    this.keyOf = this.value = this.last = null;
  }
  get(k: string): Int32Array {
    if (this.value) throw new Error('MultiMap: get before freeze');
    const id = this.ids.get(k);
    return id < 0 ? EMPTY : this.rows.row(id);
  }
  *keys(): IterableIterator<string> {
    for (let id = 0; id < this.ids.size; id++) yield this.ids.key(id);
  }
  *entries(): IterableIterator<[string, Int32Array]> {
    for (let id = 0; id < this.ids.size; id++) yield [this.ids.key(id), this.rows.row(id)];
  }
  get size(): number {
    return this.ids.size;
  }
}

export const EMPTY = new Int32Array(0);

/** Intersection of ascending int lists (smallest first for speed). */
export function intersectSorted(lists: ArrayLike<number>[]): number[] {
  if (lists.length === 0) return [];
  const sorted = [...lists].sort((x, y) => x.length - y.length);
  let cur: number[] = Array.from(sorted[0]!);
  for (let l = 1; l < sorted.length && cur.length > 0; l++) {
    const other = sorted[l]!;
    const out: number[] = [];
    let j = 0;
    for (const v of cur) {
      // galloping would be faster for skewed sizes; binary search per element is enough here
      let lo = j;
      let hi = other.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (other[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      j = lo;
      if (j < other.length && other[j] === v) out.push(v);
    }
    cur = out;
  }
  return cur;
}

/** Sorted union without duplicates. */
export function unionSorted(lists: ArrayLike<number>[]): number[] {
  if (lists.length === 1) return Array.from(lists[0]!);
  const all: number[] = [];
  for (const l of lists) for (let i = 0; i < l.length; i++) all.push(l[i]!);
  all.sort((x, y) => x - y);
  const out: number[] = [];
  for (const v of all) if (out[out.length - 1] !== v) out.push(v);
  return out;
}

/** Seeded PRNG (mulberry32): the workload sampling is deterministic. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reservoir sample (algorithm R) of at most k items. */
export class Reservoir<T> {
  readonly items: T[] = [];
  seen = 0;
  constructor(
    private readonly size: number | (() => number),
    private readonly rng: () => number,
  ) {}
  private get k(): number {
    return typeof this.size === 'number' ? this.size : this.size();
  }
  /** `make` is only called when the item is kept, so rejected items cost nothing. */
  offer(make: () => T): void {
    this.seen++;
    if (this.items.length < this.k) {
      this.items.push(make());
      return;
    }
    const j = Math.floor(this.rng() * this.seen);
    if (j < this.k) this.items[j] = make();
  }
}
