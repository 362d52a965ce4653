// A guard for work whose memory grows with the legacy data (the parity oracle): it stops with a
// clear error, and the way out, before V8 aborts the process with "heap out of memory".
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CutoverError } from './problems.ts';

export interface HeapReading {
  /** bytes in use on the JavaScript heap */
  used: number;
  /** the heap's limit (`--max-old-space-size`, or CUTOVER_HEAP_MB through bin/cutover.js) */
  limit: number;
}

export const readHeap = (): HeapReading => {
  const h = getHeapStatistics();
  return { used: h.used_heap_size, limit: h.heap_size_limit };
};

/** A full garbage collection, made available at run time (only called near the limit). */
let fullGc: (() => void) | null = null;
const collect = (): void => {
  if (!fullGc) {
    setFlagsFromString('--expose-gc');
    fullGc = runInNewContext('gc') as () => void;
  }
  fullGc();
};

/**
 * Share of the heap's limit that, still in use after a full GC, stops the work. The limit counts
 * the young generation too (304 MB for a 256 MB old space), and V8 gives up when the old space
 * is full: measured at scale 200,000, the oracle's build died with 250 MB in use.
 */
export const HEAP_STOP = 0.75;

/**
 * A heap guard: call it often. Above HEAP_STOP of the limit it collects garbage and checks again;
 * still above, it throws a CutoverError saying what was held and how to give it more room. It
 * collects again only once the heap has grown by a tenth of the limit since the last collection
 * that let the work go on (a full GC costs 0.1–0.2 s; a heap that floats near the threshold would
 * otherwise pay one per call).
 */
export function heapGuard(read: () => HeapReading = readHeap, gc: () => void = collect): (what: () => string) => void {
  let settled = 0;
  return (what) => {
    let h = read();
    if (h.used < HEAP_STOP * h.limit || h.used < settled + 0.1 * h.limit) return;
    gc();
    h = read();
    if (h.used < HEAP_STOP * h.limit) {
      settled = h.used;
      return;
    }
    const mb = (n: number) => Math.round(n / 1048576);
    const more = Math.max(512, 2 ** Math.ceil(Math.log2(mb(h.limit) * 2)));
    throw new CutoverError(
      `${what()} does not fit in the JavaScript heap: ${mb(h.used)} MB of its ${mb(h.limit)} MB limit still in use after a full garbage collection`,
      `give the command a larger heap: CUTOVER_HEAP_MB=${more} cutover … (bin/cutover.js starts it again with --max-old-space-size=${more}; with node directly: node --max-old-space-size=${more} bin/cutover.js …)`,
    );
  };
}
