// The generation context: seed, rates, reference data, row counts per table and the derived
// streams. Everything a row generator needs, and nothing that grows with the scale.
import { hashIndex, Rng, seedBase, streamSeed, unitIndex } from './random.ts';
import type { QuirkRates } from './rates.ts';
import { loadReference, type Reference } from './reference.ts';
import { CrisNumbers } from './keys.ts';
import { userPool } from './values.ts';

/**
 * Rows per scale unit (one unit = one CRIS crime report). Link tables and audit are means:
 * the exact count follows from the per-crime draws and is returned by generate().
 */
export const PROPORTIONS = {
  cris: {
    CRIME_REPORT: 1,
    ADDRESS: 1.0,
    VEHICLE: 0.3,
    NOMINAL: 1.5,
    CRIME_NOMINAL: 2.0,
    CRIME_VEHICLE: 0.33,
    AUDIT_TRAIL: 2.5,
  },
  crimint: {
    'nominals.json': 0.2,
    'intel_reports.json': 0.2,
    'audit.json': 0.5,
  },
} as const;

/** Tables that hold the planted records and the search reservoir never have fewer rows than this. */
export const MIN_ROWS = 12;

export interface Counts {
  crimes: number;
  addresses: number;
  vehicles: number;
  nominals: number;
  crisAudit: number;
  cnNominals: number;
  cnReports: number;
  cnAudit: number;
}

export function countsFor(scale: number): Counts {
  const n = (p: number) => Math.max(MIN_ROWS, Math.round(scale * p));
  return {
    crimes: scale,
    addresses: n(PROPORTIONS.cris.ADDRESS),
    vehicles: n(PROPORTIONS.cris.VEHICLE),
    nominals: n(PROPORTIONS.cris.NOMINAL),
    crisAudit: n(PROPORTIONS.cris.AUDIT_TRAIL),
    cnNominals: n(PROPORTIONS.crimint['nominals.json']),
    cnReports: n(PROPORTIONS.crimint['intel_reports.json']),
    cnAudit: n(PROPORTIONS.crimint['audit.json']),
  };
}

export class Ctx {
  readonly base: number;
  readonly ref: Reference;
  readonly counts: Counts;
  readonly users: string[];
  readonly crisNumbers: CrisNumbers;
  private readonly streams = new Map<string, number>();

  constructor(readonly seed: number | string, readonly scale: number, readonly rates: QuirkRates) {
    this.base = seedBase(seed);
    this.ref = loadReference();
    this.counts = countsFor(scale);
    this.users = userPool(new Rng(this.base, 1, 2, 3), 240);
    this.crisNumbers = new CrisNumbers(this.counts.crimes, this.stream('cris-serial'));
  }

  stream(name: string): number {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = streamSeed(this.base, name);
      this.streams.set(name, s);
    }
    return s;
  }

  /** The generator of row i of a stream. */
  rng(name: string, i: number): Rng {
    return Rng.row(this.stream(name), i);
  }

  /** A cheap per-index coin: true with probability p (pure in (name, i)). */
  coin(name: string, i: number, p: number): boolean {
    return p > 0 && unitIndex(this.stream(name), i) < p;
  }

  /** A cheap per-index integer in [0, n). */
  hash(name: string, i: number, n: number): number {
    return hashIndex(this.stream(name), i) % n;
  }
}
