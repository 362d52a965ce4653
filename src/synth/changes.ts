// `cutover generate --changes F`: a deterministic set of legacy changes after the full load —
// to the CRIS tables in place, and as a newer complete CRIMINT export in another directory.
import { z } from 'zod';
import { connect } from '../db/pool.ts';
import { applyCrisChanges, CRIS_CHANGES } from './changes-cris.ts';
import { writeChangedCrimint } from './changes-crimint.ts';

export interface ChangesOptions {
  /** share of the records changed, e.g. 0.01 */
  fraction: number;
  seed: string | number;
  crisUrl: string;
  /** the export of the full load (read, left as it is) */
  crimintDir: string;
  /** where the newer export is written */
  crimintOut: string;
}

export interface ChangesResult {
  seed: string;
  fraction: number;
  /** rows touched per kind of CRIS change */
  cris: Record<string, number>;
  /** records per kind of change, per CRIMINT file */
  crimint: Record<string, Record<string, number>>;
  /** the quirks of legacy-data.md the CRIS changes exercise */
  quirks: string[];
}

const Schema = z.object({ fraction: z.number().gt(0).max(1), seed: z.union([z.number(), z.string().min(1)]) });

export async function generateChanges(opts: ChangesOptions): Promise<ChangesResult> {
  const o = Schema.parse(opts);
  const seed = String(o.seed);
  const c = await connect(opts.crisUrl);
  let cris: Record<string, number>;
  try {
    cris = await applyCrisChanges(c, seed, o.fraction);
  } finally {
    await c.end();
  }
  const crimint = await writeChangedCrimint(opts.crimintDir, opts.crimintOut, seed, o.fraction);
  return { seed, fraction: o.fraction, cris, crimint, quirks: [...new Set(CRIS_CHANGES.map((ch) => ch.quirk))] };
}
