// Key schemes. Keys are functions of the row index, so a row can point to another table's
// row without holding that table: id(i) is computable, and so is a key that does not exist.
//
// Integer ids have gaps, as real tables do after physical purges: every 51st id is skipped
// (id = 51·k never exists). A dangling reference uses such a gap, or an id past the end.
import type { Rng } from './random.ts';
import { hashIndex } from './random.ts';

/** The i-th id (0-based) of a gapped id sequence starting at 1: 1..50, 52..101, 103.. */
export function gappedId(i: number): number {
  return i + 1 + Math.floor(i / 50);
}

/** The row index of an id, or -1 for a gap (id that never exists). */
export function indexOfGapped(id: number): number {
  if (id <= 0 || id % 51 === 0) return -1;
  return id - 1 - Math.floor(id / 51);
}

/** An id inside or just past the sequence of n rows that no row has. */
export function missingGappedId(rng: Rng, n: number): number {
  const last = gappedId(Math.max(0, n - 1));
  const gaps = Math.floor(last / 51);
  if (gaps > 0 && rng.chance(0.7)) return 51 * rng.range(1, gaps);
  return last + 1 + rng.int(1000);
}

export const pad = (n: number, w: number) => String(n).padStart(w, '0');

// ---------------------------------------------------------------- CRIS

export const NOMINAL_ID_BASE = 100_000; // NOMINAL_ID = base + gappedId(i): 100001, ...

/**
 * CRIS number serials strictly increase with the crime index and stay unique across years,
 * with a stride that leaves unused serials between them (room for orphan links).
 */
export class CrisNumbers {
  readonly stride: number;
  constructor(readonly n: number, private readonly stream: number) {
    this.stride = Math.max(1, Math.min(4, Math.floor(9_000_000 / Math.max(1, n))));
  }

  serial(i: number): number {
    return 100_000 + i * this.stride + (this.stride > 1 ? hashIndex(this.stream, i) % this.stride : 0);
  }

  crisNo(i: number, year: number): string {
    return `${pad(this.serial(i), 7)}/${pad(year % 100, 2)}`;
  }
}

// ---------------------------------------------------------------- CRIMINT

/** Nominal ref `N0001234`: N + 7 digits, gapped. */
export function nominalRef(i: number): string {
  return `N${pad(1000 + gappedId(i), 7)}`;
}

/** A nominal ref no record has (a gap, or past the end of n). */
export function missingNominalRef(rng: Rng, n: number): string {
  return `N${pad(1000 + missingGappedId(rng, n), 7)}`;
}

/** Intelligence report URN `IR/YYYY/NNNNNNN`. Serials increase with the index (gapped). */
export function urn(i: number, year: number): string {
  return `IR/${year}/${pad(gappedId(i) + 1000, 7)}`;
}

/** CRIMINT audit id `A000000001`. */
export function crimintAuditId(j: number): string {
  return `A${pad(j + 1, 9)}`;
}

/** CRIS AUDIT_ID: strictly increasing bigint past the int32 range (3 000 000 001, ...), gapped. */
export function crisAuditId(j: number, stream: number): number {
  return 3_000_000_000 + j * 3 + 1 + (hashIndex(stream, j) % 3);
}
