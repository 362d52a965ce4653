// Compact in-memory structures for the oracle: growable typed arrays, string interning, key
// indexes, multimaps, sorted-set operations. (Link indexes: link-index.ts; token indexes:
// token-index.ts; both kept in a PageCache, paged.ts.)
// A JS number array costs 8 bytes per element plus object overhead; these cost 4 (or 1).

/** The typed arrays a Growable column can sit on. */
type NumberArray = Int32Array | Float64Array;

/** A typed-array column that doubles as it fills; trim() gives back the unused half after a build. */
class Growable<A extends NumberArray> {
  private buf: A;
  length = 0;
  constructor(
    private readonly make: (n: number) => A,
    initial: number,
    private readonly fill: number,
  ) {
    this.buf = make(initial);
    if (fill !== 0) this.buf.fill(fill);
  }
  private grow(min: number): void {
    let n = Math.max(1, this.buf.length * 2);
    while (n < min) n *= 2;
    const b = this.make(n);
    if (this.fill !== 0) b.fill(this.fill, this.buf.length);
    b.set(this.buf);
    this.buf = b;
  }
  push(v: number): number {
    if (this.length === this.buf.length) this.grow(this.length + 1);
    this.buf[this.length] = v;
    return this.length++;
  }
  /** Set at any index, growing (with the fill value) as needed. */
  set(i: number, v: number): void {
    if (i >= this.buf.length) this.grow(i + 1);
    this.buf[i] = v;
    if (i >= this.length) this.length = i + 1;
  }
  get(i: number): number {
    return i < this.length ? this.buf[i]! : this.fill;
  }
  /** A right-sized copy; the growable buffer can then be dropped. */
  toArray(): A {
    return this.buf.slice(0, this.length) as A;
  }
  /** Drop the unused capacity (up to half the buffer after doubling); pushing again still works. */
  trim(): void {
    if (this.buf.length > this.length) this.buf = this.toArray();
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  constructor(initial = 1024, fill = 0) {
    super((n) => new Int32Array(n), initial, fill);
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(initial = 1024, fill = 0) {
    super((n) => new Float64Array(n), initial, fill);
  }
}

/**
 * Record keys by slot. A key in canonical decimal form (most CRIS keys: `412345`, audit ids
 * `3000000001`) or a CRIS crime number (`0412345/19`) is held as a float64 code (numericKey), 8
 * bytes instead of a string of ~24 and a map entry of ~60; any other key (CRIMINT refs, inline
 * items) as a string. (The crime numbers as strings were 7 MB of the oracle's heap at scale 100,000.)
 */
export class KeyColumn {
  private readonly nums = new GrowableFloat64(1024, -1);
  private readonly others = new Map<number, string>();
  get length(): number {
    return this.nums.length;
  }
  push(key: string): number {
    const i = this.nums.length;
    const n = numericKey(key);
    this.nums.push(n);
    if (n < 0) this.others.set(i, key);
    return i;
  }
  get(i: number): string {
    const n = this.nums.get(i);
    return n >= 0 ? keyOfCode(n) : this.others.get(i)!;
  }
  /** The slot's key as its numeric code (numericKey), else -1. */
  num(i: number): number {
    return this.nums.get(i);
  }
  /** The slot's key when it is not decimal. */
  other(i: number): string | undefined {
    return this.others.get(i);
  }
  trim(): void {
    this.nums.trim();
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
  private table = new Int32Array(1024).fill(FREE);
  private used = 0;
  private frozen = false;
  constructor(private readonly keys: KeyColumn) {}

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
    const mask = t.length - 1;
    for (let at = (n >= 0 ? hashNumber(n) : hashString(key)) & mask; ; at = (at + 1) & mask) {
      const s = t[at]!;
      if (s === FREE) return -1;
      if (s !== GONE && this.holds(s, n, key)) return at;
    }
  }
  /** The slot of key, or undefined. */
  get(key: string): number | undefined {
    const at = this.find(key);
    return at < 0 ? undefined : this.table[at];
  }
  /** Index a slot under its own key; a key already indexed now finds this slot. */
  put(slot: number): void {
    if (this.frozen) throw new Error('KeyIndex: put after freeze');
    const n = this.keys.num(slot);
    const key = n >= 0 ? '' : this.keys.other(slot)!;
    const t = this.table;
    const mask = t.length - 1;
    let gone = -1;
    for (let at = this.slotHash(slot) & mask; ; at = (at + 1) & mask) {
      const s = t[at]!;
      if (s === FREE) {
        if (gone >= 0) t[gone] = slot;
        else {
          t[at] = slot;
          if (++this.used > MAX_LOAD * t.length) this.rehash(t.length * 2);
        }
        return;
      }
      if (s === GONE) {
        if (gone < 0) gone = at;
      } else if (this.holds(s, n, key)) {
        t[at] = slot;
        return;
      }
    }
  }
  delete(key: string): void {
    if (this.frozen) throw new Error('KeyIndex: delete after freeze');
    const at = this.find(key);
    if (at >= 0) this.table[at] = GONE;
  }
  /** Number of keys indexed. */
  get size(): number {
    let n = 0;
    for (const s of this.table) if (s >= 0) n++;
    return n;
  }
  private rehash(capacity: number): void {
    const old = this.table;
    const t = new Int32Array(capacity).fill(FREE);
    const mask = capacity - 1;
    let used = 0;
    for (const s of old) {
      if (s < 0) continue;
      let at = this.slotHash(s) & mask;
      while (t[at] !== FREE) at = (at + 1) & mask;
      t[at] = s;
      used++;
    }
    this.table = t;
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
    this.table = new Int32Array(1).fill(FREE);
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
  private slots: Int32Array = new Int32Array(1).fill(FREE);
  private hashes: Int32Array = new Int32Array(1);
  constructor(private readonly keyOf: (slot: number) => string | null) {}

  /** Index slots [0, n) under their derived keys (a slot without one is left out). */
  build(n: number): void {
    let capacity = 16;
    while (capacity * MAX_LOAD < n) capacity *= 2;
    const slots = new Int32Array(capacity).fill(FREE);
    const hashes = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let s = 0; s < n; s++) {
      const key = this.keyOf(s);
      if (key === null) continue;
      const h = hashString(key);
      let at = h & mask;
      while (slots[at] !== FREE) at = (at + 1) & mask;
      slots[at] = s;
      hashes[at] = h;
    }
    this.slots = slots;
    this.hashes = hashes;
  }

  /** The slots whose derived key is `key`, ascending. */
  get(key: string): Int32Array {
    const { slots, hashes } = this;
    const mask = slots.length - 1;
    const h = hashString(key);
    const out: number[] = [];
    for (let at = h & mask; slots[at] !== FREE; at = (at + 1) & mask) {
      if (hashes[at] === h && this.keyOf(slots[at]!) === key) out.push(slots[at]!);
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

/** FNV-1a over UTF-16 code units, mixed. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/** One shared instance per distinct string (values repeat a lot: surnames, towns, codes). */
export class Interner {
  private readonly map = new Map<string, string>();
  of(s: string): string {
    const hit = this.map.get(s);
    if (hit !== undefined) return hit;
    this.map.set(s, s);
    return s;
  }
  /** Stop interning (drops the table, keeps the strings already handed out). */
  clear(): void {
    this.map.clear();
  }
}

/**
 * Map key → ascending list of ints. While building, every value is a node in two typed arrays
 * (the value, and the node before it under the same key) and the map holds each key's last node:
 * 8 bytes a value and no array per key, where a JavaScript array cost 32 bytes a key and grew to
 * 19 slots of 8 at its third value (the oracle build at scale 100,000: 12 MB less heap). freeze()
 * moves every list into one flat Int32Array (CSR) and the map then holds each key's row number.
 * Values arrive in ascending order; a value equal to its key's last is not added again.
 */
export class MultiMap<K> {
  private map = new Map<K, number>();
  private value: GrowableInt32 | null = new GrowableInt32();
  private before: GrowableInt32 | null = new GrowableInt32();
  private offsets: Int32Array = EMPTY;
  private values: Int32Array = EMPTY;
  add(k: K, v: number): void {
    const value = this.value;
    const before = this.before;
    if (!value || !before) throw new Error('MultiMap: add after freeze');
    const last = this.map.get(k);
    if (last !== undefined && value.get(last) === v) return;
    before.push(last ?? -1);
    this.map.set(k, value.push(v));
  }
  freeze(): void {
    const value = this.value;
    const before = this.before;
    if (!value || !before) return;
    const offsets = new Int32Array(this.map.size + 1);
    const values = new Int32Array(value.length);
    let row = 0;
    let at = 0;
    for (const [k, last] of this.map) {
      let n = 0;
      for (let x = last; x >= 0; x = before.get(x)) n++;
      at += n;
      // the chain runs from the last value back: fill the row from its end
      for (let x = last, i = at; x >= 0; x = before.get(x)) values[--i] = value.get(x);
      offsets[++row] = at;
      this.map.set(k, row - 1); // existing key: the map does not grow
    }
    this.offsets = offsets;
    this.values = values;
    this.value = this.before = null;
  }
  private row(i: number): Int32Array {
    return this.values.subarray(this.offsets[i]!, this.offsets[i + 1]!);
  }
  get(k: K): Int32Array {
    if (this.value) throw new Error('MultiMap: get before freeze');
    const i = this.map.get(k);
    return i === undefined ? EMPTY : this.row(i);
  }
  keys(): IterableIterator<K> {
    return this.map.keys();
  }
  *entries(): IterableIterator<[K, Int32Array]> {
    for (const [k, i] of this.map) yield [k, this.row(i)];
  }
  get size(): number {
    return this.map.size;
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
