// CRIS link tables, generated per crime in key order (CRIS_NO, then NOMINAL_ID / VEHICLE_ID, ROLE).
// People are drawn mostly from the same era as the crime (nominal index near the crime's
// position), some from a small set of prolific offenders who appear on many crimes.
import type { Ctx } from './context.ts';
import { crimeMeta, nominalId } from './cris.ts';
import { gappedId, missingGappedId, NOMINAL_ID_BASE, pad } from './keys.ts';
import type { Rng } from './random.ts';
import { yearOf } from './time.ts';

export interface LinkRow {
  cris_no: string;
  id: number; // nominal_id or vehicle_id
  role: string;
}

const PERSON_ROLES = ['VI', 'VI', 'VI', 'VI', 'VI', 'VI', 'VI', 'SU', 'SU', 'SU', 'SU', 'SU', 'WI', 'WI', 'WI', 'WI', 'AC', 'AC', 'RP', 'RP'] as const;
// links per crime: 0..4, mean 2.0
const LINK_COUNTS = [0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4] as const;

function near(rng: Rng, i: number, nCrimes: number, n: number): number {
  const centre = Math.floor((i / nCrimes) * n);
  const w = Math.max(25, Math.floor(n * 0.01));
  return Math.min(n - 1, Math.max(0, centre + rng.range(-w, w)));
}

export function nominalIndexFor(ctx: Ctx, rng: Rng, i: number): number {
  const n = ctx.counts.nominals;
  const f = rng.float();
  if (f < 0.15) return ctx.hash('prolific', rng.int(Math.max(1, Math.floor(n * 0.02))), n);
  if (f < 0.9) return near(rng, i, ctx.counts.crimes, n);
  return rng.int(n);
}

const byKey = (a: LinkRow, b: LinkRow) =>
  a.cris_no < b.cris_no ? -1 : a.cris_no > b.cris_no ? 1 : a.id - b.id || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0);

/** A CRIS number no crime has: the crime's serial with another year. */
function orphanCrisNo(ctx: Ctx, i: number, reported: number): string {
  const y = yearOf(reported);
  return `${pad(ctx.crisNumbers.serial(i), 7)}/${pad((y + (y % 2 === 0 ? 1 : -1)) % 100, 2)}`;
}

function dedupe(rows: LinkRow[]): LinkRow[] {
  rows.sort(byKey);
  return rows.filter((r, k) => k === 0 || byKey(rows[k - 1]!, r) !== 0);
}

/** CRIME_NOMINAL rows of crime i (and an orphan row for a missing crime, at orphanLink / 2). */
export function crimeNominals(ctx: Ctx, i: number): LinkRow[] {
  const meta = crimeMeta(ctx, i);
  const rng = ctx.rng('CRIME_NOMINAL', i);
  const rows: LinkRow[] = [];
  const k = rng.pick(LINK_COUNTS);
  for (let j = 0; j < k; j++) {
    const id = rng.chance(ctx.rates.orphanLink) ? NOMINAL_ID_BASE + missingGappedId(rng, ctx.counts.nominals) : nominalId(nominalIndexFor(ctx, rng, i));
    rows.push({ cris_no: meta.crisNo, id, role: rng.pick(PERSON_ROLES) });
  }
  if (rng.chance(ctx.rates.orphanLink / 2)) {
    rows.push({ cris_no: orphanCrisNo(ctx, i, meta.reported), id: nominalId(nominalIndexFor(ctx, rng, i)), role: rng.pick(PERSON_ROLES) });
  }
  return dedupe(rows);
}

const VEHICLE_CRIME = /vehicle|car|motor/i;

/** CRIME_VEHICLE rows of crime i: about a third of crimes have a vehicle. */
export function crimeVehicles(ctx: Ctx, i: number): LinkRow[] {
  const meta = crimeMeta(ctx, i);
  const rng = ctx.rng('CRIME_VEHICLE', i);
  const f = rng.float();
  const k = f < 0.27 ? 1 : f < 0.3 ? 2 : 0;
  const rows: LinkRow[] = [];
  const n = ctx.counts.vehicles;
  for (let j = 0; j < k; j++) {
    const id = rng.chance(ctx.rates.orphanLink) ? missingGappedId(rng, n) : gappedId(rng.chance(0.7) ? near(rng, i, ctx.counts.crimes, n) : rng.int(n));
    const role = VEHICLE_CRIME.test(meta.label) ? 'ST' : rng.pick(['US', 'US', 'DA', 'ST']);
    rows.push({ cris_no: meta.crisNo, id, role });
  }
  if (k > 0 && rng.chance(ctx.rates.orphanLink / 2)) {
    rows.push({ cris_no: orphanCrisNo(ctx, i, meta.reported), id: gappedId(rng.int(n)), role: 'US' });
  }
  return dedupe(rows);
}
