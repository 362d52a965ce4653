// Columns kept in a scratch file behind a bounded cache, so that what the oracle holds in memory
// is the cache's size, whatever the scale. Pages are read and written synchronously (pread and
// pwrite), so the oracle's queries stay synchronous.
//
// - A PageCache owns a fixed number of frames (pageBytes each, allocated as first needed) and
//   one scratch file. The file is created only when a frame must be evicted (a small oracle
//   never touches the disk), and it is unlinked the moment it is opened: the legacy values in
//   it vanish with the process, even after kill -9.
// - A column (PagedInt32, PagedUint8, PagedFloat64) is a growable array of pages. A page in a
//   frame is a typed-array view; a page evicted is written back when it changed, and read again
//   when next used. Eviction is a clock over the frames; a page is marked used when it is loaded.
// - Built on the columns: PagedStrings (UTF-8 by index), PagedStringIds (strings numbered in
//   first-seen order, a paged hash table), PagedRows (compressed sparse rows).
// - Never hold a view across a call that may load another page: that load may reuse its frame.
//   Every method here copies what it returns.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CutoverError } from '../core/problems.ts';

/** Default page size: 32 KiB (8,192 int32 values). */
export const PAGE_BYTES = 1 << 15;

export interface PageCacheOptions {
  /** Memory for pages, in bytes (at least four pages). */
  bytes: number;
  /** Page size in bytes, a power of two ≥ 64 (default 32 KiB; tests use small pages). */
  pageBytes?: number;
  /** Directory for the scratch file (default: the OS temporary directory). */
  dir?: string;
}

/** What a column must let the cache do to its pages. */
interface PageOwner {
  /** The frame holding `local` was taken: drop its view. */
  dropView(local: number): void;
  /** The file page holding `local`, allocating one on first write. */
  filePage(local: number): number;
}

export class PageCache {
  readonly pageBytes: number;
  readonly maxFrames: number;
  private readonly dir: string;
  private fd = -1;
  private filePages = 0;
  private readonly freePages: number[] = [];
  private readonly frames: Uint8Array[] = [];
  private readonly owner: (PageOwner | null)[] = [];
  private readonly local: number[] = [];
  private readonly dirty: Uint8Array;
  private readonly used: Uint8Array;
  private hand = 0;
  /** Pages read back from the file, and written to it. */
  reads = 0;
  writes = 0;

  constructor(opts: PageCacheOptions) {
    this.pageBytes = opts.pageBytes ?? PAGE_BYTES;
    if (this.pageBytes < 64 || (this.pageBytes & (this.pageBytes - 1)) !== 0) throw new RangeError(`page size ${this.pageBytes}: a power of two of at least 64 bytes`);
    this.maxFrames = Math.max(4, Math.floor(opts.bytes / this.pageBytes));
    this.dir = opts.dir ?? tmpdir();
    this.dirty = new Uint8Array(this.maxFrames);
    this.used = new Uint8Array(this.maxFrames);
  }

  /** Bytes of frames allocated so far (at most maxFrames pages). */
  get residentBytes(): number {
    return this.frames.length * this.pageBytes;
  }

  /** Bytes the scratch file has grown to. */
  get fileBytes(): number {
    return this.filePages * this.pageBytes;
  }

  private file(): number {
    if (this.fd < 0) {
      const dir = mkdtempSync(path.join(this.dir, 'cutover-oracle-'));
      const name = path.join(dir, 'pages');
      this.fd = openSync(name, 'wx+', 0o600);
      // unlinked at once: the data lives only as long as the descriptor
      rmSync(dir, { recursive: true, force: true });
    }
    return this.fd;
  }

  /** A file page for a column's page (reusing a released one). */
  allocFilePage(): number {
    return this.freePages.pop() ?? this.filePages++;
  }

  /** Give back file pages of a dropped column. */
  releaseFilePages(pages: Iterable<number>): void {
    for (const p of pages) if (p >= 0) this.freePages.push(p);
  }

  /** A frame for `owner`'s page `local`, its bytes read from `filePage` (-1: never written, `fill` bytes). */
  load(owner: PageOwner, local: number, filePage: number, fill: (frame: Uint8Array) => void): number {
    const f = this.frames.length < this.maxFrames ? this.grow() : this.victim();
    const frame = this.frames[f]!;
    if (filePage < 0) fill(frame);
    else {
      readExactly(this.file(), frame, filePage * this.pageBytes);
      this.reads++;
    }
    this.owner[f] = owner;
    this.local[f] = local;
    this.used[f] = 1;
    this.dirty[f] = 0;
    return f;
  }

  markDirty(frame: number): void {
    this.dirty[frame] = 1;
  }

  frame(f: number): Uint8Array {
    return this.frames[f]!;
  }

  /** Forget a column's frames without writing them (the column is dropped). */
  forget(owner: PageOwner): void {
    for (let f = 0; f < this.frames.length; f++) {
      if (this.owner[f] === owner) {
        this.owner[f] = null;
        this.dirty[f] = 0;
        this.used[f] = 0;
      }
    }
  }

  private grow(): number {
    this.frames.push(new Uint8Array(this.pageBytes));
    this.owner.push(null);
    this.local.push(0);
    return this.frames.length - 1;
  }

  /** Clock: the first frame not used since the hand last passed it, written back if it changed. */
  private victim(): number {
    for (;;) {
      const f = this.hand;
      this.hand = (this.hand + 1) % this.maxFrames;
      if (this.owner[f] !== null && this.used[f] === 1) {
        this.used[f] = 0;
        continue;
      }
      const o = this.owner[f];
      if (o) {
        if (this.dirty[f] === 1) {
          const page = o.filePage(this.local[f]!);
          writeExactly(this.file(), this.frames[f]!, page * this.pageBytes, this.dir);
          this.writes++;
        }
        o.dropView(this.local[f]!);
        this.owner[f] = null;
      }
      return f;
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.frames.length = 0;
    this.owner.length = 0;
  }
}

function readExactly(fd: number, buf: Uint8Array, at: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, at + done);
    if (n === 0) {
      buf.fill(0, done);
      return;
    }
    done += n;
  }
}

function writeExactly(fd: number, buf: Uint8Array, at: number, dir: string): void {
  let done = 0;
  try {
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, at + done);
  } catch (err) {
    throw scratchWriteError(err, dir, at);
  }
}

/** A failed write to the scratch file: a full disk (or quota) says where and what to do; anything else as it was. */
export function scratchWriteError(err: unknown, dir: string, at: number): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return err;
  return new CutoverError(
    `the parity oracle's scratch file in ${dir} ran out of disk space at ${Math.round(at / 1048576)} MB`,
    'point TMPDIR at a disk with more room (the file holds the oracle\'s tables: about 90 MB per 100,000 of scale), or give it more memory with CUTOVER_ORACLE_CACHE_MB',
    { cause: err },
  );
}

type View = Int32Array | Uint8Array | Float64Array;

/** A growable column of pages in a PageCache. */
abstract class PagedColumn<V extends View> implements PageOwner {
  length = 0;
  protected readonly shift: number;
  protected readonly mask: number;
  protected views: (V | undefined)[] = [];
  private frames: number[] = [];
  private files: number[] = [];
  constructor(
    protected readonly cache: PageCache,
    bytesPerValue: number,
    protected readonly fillValue: number,
  ) {
    const perPage = cache.pageBytes / bytesPerValue;
    this.shift = Math.log2(perPage);
    this.mask = perPage - 1;
  }
  protected abstract view(frame: Uint8Array): V;

  dropView(local: number): void {
    this.views[local] = undefined;
  }
  filePage(local: number): number {
    let p = this.files[local]!;
    if (p < 0) this.files[local] = p = this.cache.allocFilePage();
    return p;
  }

  /** The page's view, loaded if it is not in a frame. */
  protected page(local: number): V {
    const v = this.views[local];
    if (v !== undefined) return v;
    while (this.files.length <= local) this.files.push(-1);
    const fill = this.fillValue;
    const f = this.cache.load(this, local, this.files[local]!, (frame) => {
      const w = this.view(frame);
      w.fill(fill);
    });
    const w = this.view(this.cache.frame(f));
    this.views[local] = w;
    this.frames[local] = f;
    return w;
  }
  /** The page's view, to be written. */
  protected pageForWrite(local: number): V {
    const v = this.page(local);
    this.cache.markDirty(this.frames[local]!);
    return v;
  }

  /** The value at i; the fill value outside [0, length). Each column type has its own (below). */
  abstract get(i: number): number;
  set(i: number, v: number): void {
    this.pageForWrite(i >>> this.shift)[i & this.mask] = v;
    if (i >= this.length) this.length = i + 1;
  }
  push(v: number): number {
    this.set(this.length, v);
    return this.length - 1;
  }
  /** Append values (a chunk built in memory). */
  append(values: ArrayLike<number>): void {
    let i = 0;
    while (i < values.length) {
      const at = this.length;
      const w = this.pageForWrite(at >>> this.shift);
      const off = at & this.mask;
      const n = Math.min(values.length - i, w.length - off);
      for (let k = 0; k < n; k++) w[off + k] = values[i + k]!;
      i += n;
      this.length += n;
    }
  }
  /** Values [from, to) into `out` from `at`. */
  copyInto(from: number, to: number, out: V, at = 0): V {
    let i = from;
    while (i < to) {
      const w = this.page(i >>> this.shift);
      const off = i & this.mask;
      const n = Math.min(to - i, w.length - off);
      out.set(w.subarray(off, off + n), at + (i - from));
      i += n;
    }
    return out;
  }
  /** Drop every page (their file pages are reused). */
  drop(): void {
    this.cache.forget(this);
    this.cache.releaseFilePages(this.files);
    this.views = [];
    this.frames = [];
    this.files = [];
    this.length = 0;
  }
}

export class PagedInt32 extends PagedColumn<Int32Array> {
  constructor(cache: PageCache, fill = 0) {
    super(cache, 4, fill);
  }
  // each column type has its own get(), so that every call site sees one kind of typed array
  // (measured: 3.5 ns a get against 4.4 with one get() over three kinds)
  get(i: number): number {
    if (i >= this.length || i < 0) return this.fillValue;
    return (this.views[i >>> this.shift] ?? this.page(i >>> this.shift))[i & this.mask]!;
  }
  protected view(frame: Uint8Array): Int32Array {
    return new Int32Array(frame.buffer, frame.byteOffset, frame.length >>> 2);
  }
  /** Values [from, to) as a new array. */
  slice(from: number, to: number): Int32Array {
    return this.copyInto(from, to, new Int32Array(Math.max(0, to - from)));
  }
}

export class PagedUint8 extends PagedColumn<Uint8Array> {
  constructor(cache: PageCache) {
    super(cache, 1, 0);
  }
  get(i: number): number {
    if (i >= this.length || i < 0) return 0;
    return (this.views[i >>> this.shift] ?? this.page(i >>> this.shift))[i & this.mask]!;
  }
  protected view(frame: Uint8Array): Uint8Array {
    return frame;
  }
  slice(from: number, to: number): Uint8Array {
    return this.copyInto(from, to, new Uint8Array(Math.max(0, to - from)));
  }
  /** Unsigned LEB128 varint. */
  pushVarint(v: number): void {
    while (v >= 0x80) {
      this.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.push(v);
  }
}

/** Decode unsigned LEB128 varints (PagedUint8.pushVarint's). */
export function decodeVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let v = 0;
  let shift = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    v |= (b & 0x7f) << shift;
    if (b & 0x80) shift += 7;
    else {
      out.push(v >>> 0);
      v = 0;
      shift = 0;
    }
  }
  return out;
}

export class PagedFloat64 extends PagedColumn<Float64Array> {
  constructor(cache: PageCache, fill = 0) {
    super(cache, 8, fill);
  }
  get(i: number): number {
    if (i >= this.length || i < 0) return this.fillValue;
    return (this.views[i >>> this.shift] ?? this.page(i >>> this.shift))[i & this.mask]!;
  }
  protected view(frame: Uint8Array): Float64Array {
    return new Float64Array(frame.buffer, frame.byteOffset, frame.length >>> 3);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Strings (or null) by index, as UTF-8 in a paged byte column. A value set again is appended
 * again (the old bytes are left): the oracle sets each value once or twice.
 */
export class PagedStrings {
  private readonly bytes: PagedUint8;
  private readonly start: PagedInt32;
  /** byte length, or -1 for null */
  private readonly len: PagedInt32;
  private scratch = new Uint8Array(256);
  constructor(cache: PageCache) {
    this.bytes = new PagedUint8(cache);
    this.start = new PagedInt32(cache);
    this.len = new PagedInt32(cache, -1);
  }
  get length(): number {
    return this.len.length;
  }
  push(v: string | null): number {
    const i = this.len.length;
    this.set(i, v);
    return i;
  }
  set(i: number, v: string | null): void {
    if (v === null) {
      this.len.set(i, -1);
      if (i >= this.start.length) this.start.set(i, 0);
      return;
    }
    if (this.scratch.length < v.length * 3) this.scratch = new Uint8Array(v.length * 3);
    const n = encoder.encodeInto(v, this.scratch).written;
    this.start.set(i, this.bytes.length);
    this.len.set(i, n);
    this.bytes.append(this.scratch.subarray(0, n));
  }
  get(i: number): string | null {
    const n = this.len.get(i);
    if (n < 0) return null;
    if (n === 0) return '';
    const from = this.start.get(i);
    if (this.scratch.length < n) this.scratch = new Uint8Array(n);
    return decoder.decode(this.bytes.copyInto(from, from + n, this.scratch.subarray(0, n)));
  }
  drop(): void {
    this.bytes.drop();
    this.start.drop();
    this.len.drop();
  }
}

/** 32-bit FNV-1a over UTF-16 code units, mixed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/**
 * Distinct strings numbered in first-seen order (0, 1, 2, …): an open-addressing table of
 * numbers over the strings and their hashes, all paged. A lookup compares hashes first and
 * decodes a string only when they are equal.
 */
export class PagedStringIds {
  private readonly keys: PagedStrings;
  private readonly hashes: PagedInt32;
  private table: PagedInt32;
  private capacity = 1024;
  constructor(private readonly cache: PageCache) {
    this.keys = new PagedStrings(cache);
    this.hashes = new PagedInt32(cache);
    this.table = new PagedInt32(cache, -1);
  }
  get size(): number {
    return this.keys.length;
  }
  key(id: number): string {
    return this.keys.get(id)!;
  }
  private find(key: string, h: number): number {
    const mask = this.capacity - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const id = this.table.get(at);
      if (id < 0) return -1 - at;
      if (this.hashes.get(id) === h && this.keys.get(id) === key) return id;
    }
  }
  /** The string's number, or -1. */
  get(key: string): number {
    const id = this.find(key, hashString(key));
    return id < 0 ? -1 : id;
  }
  /** The string's number, numbering it when new. */
  add(key: string): number {
    const h = hashString(key);
    const found = this.find(key, h);
    if (found >= 0) return found;
    const id = this.keys.push(key);
    this.hashes.push(h);
    this.table.set(-1 - found, id);
    if (this.size * 2 > this.capacity) this.rehash(this.capacity * 2);
    return id;
  }
  private rehash(capacity: number): void {
    this.table.drop();
    this.table = new PagedInt32(this.cache, -1);
    this.capacity = capacity;
    const mask = capacity - 1;
    for (let id = 0; id < this.size; id++) {
      let at = this.hashes.get(id) & mask;
      while (this.table.get(at) >= 0) at = (at + 1) & mask;
      this.table.set(at, id);
    }
  }
}

/** Values placed in memory at once while building rows (1,048,576: 5 MB with payloads). */
const ROWS_CHUNK = 1 << 20;

/** One range of ids of a rows build: its triples, set aside in one pass (see PagedRows.build). */
interface Bucket {
  ids: PagedInt32;
  values: PagedInt32;
  payload: PagedUint8 | null;
}

/**
 * Compressed sparse rows, paged: for each id in [0, n), a run of values (and a one-byte payload
 * each), in the order they were given. Built from (id, value, payload) triples in any order, with
 * one chunk of values in memory at a time; see build().
 */
export class PagedRows {
  readonly offsets: PagedInt32;
  readonly values: PagedInt32;
  readonly payload: PagedUint8 | null;
  constructor(
    private readonly cache: PageCache,
    withPayload: boolean,
    /** Values placed in memory at once (tests make it small). */
    private readonly chunk = ROWS_CHUNK,
  ) {
    this.offsets = new PagedInt32(cache);
    this.values = new PagedInt32(cache);
    this.payload = withPayload ? new PagedUint8(cache) : null;
  }

  /**
   * Three passes, each linear: count the values of every id; when they fill more than one chunk,
   * set the triples aside by ranges of ids that each fill at most one chunk (appends: one page of
   * each range in use at a time); then place each range's values in memory and append them.
   */
  build(ids: PagedInt32, values: PagedInt32, payload: PagedUint8 | null, n: number): void {
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < ids.length; i++) offsets[ids.get(i) + 1]!++;
    for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
    this.offsets.append(offsets);
    const starts: number[] = [];
    for (let lo = 0; lo < n; ) {
      starts.push(lo);
      let hi = lo + 1;
      while (hi < n && offsets[hi + 1]! - offsets[lo]! <= this.chunk) hi++;
      lo = hi;
    }
    if (starts.length <= 1) return this.place(0, n, offsets, { ids, values, payload });
    const buckets: Bucket[] = starts.map(() => ({ ids: new PagedInt32(this.cache), values: new PagedInt32(this.cache), payload: payload ? new PagedUint8(this.cache) : null }));
    for (let i = 0; i < ids.length; i++) {
      const id = ids.get(i);
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid]! <= id) lo = mid;
        else hi = mid - 1;
      }
      const b = buckets[lo]!;
      b.ids.push(id);
      b.values.push(values.get(i));
      b.payload?.push(payload!.get(i));
    }
    starts.forEach((lo, k) => {
      const b = buckets[k]!;
      this.place(lo, starts[k + 1] ?? n, offsets, b);
      b.ids.drop();
      b.values.drop();
      b.payload?.drop();
    });
  }

  /** The values of ids [lo, hi), from triples holding them (and maybe others), placed and appended. */
  private place(lo: number, hi: number, offsets: Int32Array, from: Bucket): void {
    const base = offsets[lo]!;
    const size = offsets[hi]! - base;
    const vals = new Int32Array(size);
    const pay = from.payload ? new Uint8Array(size) : null;
    const pos = offsets.slice(lo, hi);
    for (let i = 0; i < from.ids.length; i++) {
      const s = from.ids.get(i);
      if (s < lo || s >= hi) continue;
      const k = pos[s - lo]!++ - base;
      vals[k] = from.values.get(i);
      if (pay) pay[k] = from.payload!.get(i);
    }
    this.values.append(vals);
    if (pay) this.payload!.append(pay);
  }

  get count(): number {
    return this.values.length;
  }

  /** The id's values, as a new array. */
  row(i: number): Int32Array {
    if (i < 0 || i + 1 >= this.offsets.length) return new Int32Array(0);
    return this.values.slice(this.offsets.get(i), this.offsets.get(i + 1));
  }

  visit(i: number, fn: (value: number, payload: number) => void): void {
    if (i < 0 || i + 1 >= this.offsets.length) return;
    const end = this.offsets.get(i + 1);
    const pay = this.payload;
    for (let k = this.offsets.get(i); k < end; k++) fn(this.values.get(k), pay ? pay.get(k) : 0);
  }
}
