// Positions of the planted records: bad input with a known expected outcome (src/synth/README.md).
// Derived from the seed; each is a live record, distinct from the others in its table.
import type { Ctx } from './context.ts';

export interface PlantedIndexes {
  /** CRIS NOMINAL with SURNAME '' → quarantined. */
  crisNominalBlank: number;
  /** CRIS NOMINAL with a wrong PNC check letter → warning invalid_pnc. */
  crisNominalBadPnc: number;
  /** CRIS ADDRESS with an invalid postcode → warning invalid_postcode. */
  crisAddressBadPostcode: number;
  /** CRIS CRIME_REPORT reported in the repeated October hour → warning ambiguous_local_time. */
  crisCrimeAmbiguous: number;
  /** CRIS CRIME_REPORT reported in the skipped March hour → warning nonexistent_local_time. */
  crisCrimeNonexistent: number;
  /** CRIMINT nominal without a surname key → quarantined. */
  cnNominalNoSurname: number;
  /** CRIMINT nominal with "aliases": "none" → quarantined. */
  cnNominalBadAliases: number;
  /** CRIMINT report created 31/02/2019 10:00:00 → quarantined. */
  cnReportBadDate: number;
  /** CRIMINT report with "mopiGroup": "three" → warning invalid_mopi_group (stored as NULL). */
  cnReportBadMopi: number;
}

/** k distinct indexes in [1, n - 2] (n ≥ k + 2), from the seed. */
function distinct(ctx: Ctx, tag: string, n: number, k: number): number[] {
  const span = n - 2;
  if (span < k) throw new Error(`${tag}: ${n} rows cannot hold ${k} planted records`);
  const out: number[] = [];
  for (let j = 0; out.length < k; j++) {
    let i = 1 + ctx.hash(`planted:${tag}`, j, span);
    while (out.includes(i)) i = 1 + (i % span);
    out.push(i);
  }
  return out;
}

const cache = new WeakMap<Ctx, PlantedIndexes>();

export function planted(ctx: Ctx): PlantedIndexes {
  let p = cache.get(ctx);
  if (!p) {
    const c = ctx.counts;
    const [crisNominalBlank, crisNominalBadPnc] = distinct(ctx, 'NOMINAL', c.nominals, 2) as [number, number];
    const [crisCrimeAmbiguous, crisCrimeNonexistent] = distinct(ctx, 'CRIME_REPORT', c.crimes, 2) as [number, number];
    const [cnNominalNoSurname, cnNominalBadAliases] = distinct(ctx, 'nominals.json', c.cnNominals, 2) as [number, number];
    const [cnReportBadDate, cnReportBadMopi] = distinct(ctx, 'intel_reports.json', c.cnReports, 2) as [number, number];
    p = {
      crisNominalBlank, crisNominalBadPnc,
      crisAddressBadPostcode: distinct(ctx, 'ADDRESS', c.addresses, 1)[0]!,
      crisCrimeAmbiguous, crisCrimeNonexistent,
      cnNominalNoSurname, cnNominalBadAliases, cnReportBadDate, cnReportBadMopi,
    };
    cache.set(ctx, p);
  }
  return p;
}
