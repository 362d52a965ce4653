// Columns kept in a scratch file behind a bounded cache, so that what the oracle holds in memory
// is the cache's size, whatever the scale. Pages are read and written synchronously (pread and
// pwrite), so the oracle's queries stay synchronous.
//
// - A PageCache owns a fixed number of frames (pageBytes each, allocated as first needed) and
//   one scratch file. The file is created only when a frame must be evicted (a small oracle
//   never touches the disk), and it is unlinked the moment it is opened: the legacy values in
//   it vanish with the process, even after kill -9.
// - A column (PagedInt32, PagedUint8) is a growable array of pages. A page in a frame is a
//   typed-array view; a page evicted is written back when it changed, and read again when next
//   used. Eviction is a clock over the frames; a page is marked used when it is loaded.
// - Never hold a view across a call that may load another page: that load may reuse its frame.
//   Every method here copies what it returns.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
          writeExactly(this.file(), this.frames[f]!, page * this.pageBytes);
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

function writeExactly(fd: number, buf: Uint8Array, at: number): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, at + done);
}

type View = Int32Array | Uint8Array;

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
    private readonly fillValue: number,
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

  get(i: number): number {
    if (i >= this.length || i < 0) return this.fillValue;
    return (this.views[i >>> this.shift] ?? this.page(i >>> this.shift))[i & this.mask]!;
  }
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
