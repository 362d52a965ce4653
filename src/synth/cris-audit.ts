// CRIS AUDIT_TRAIL: strictly increasing AUDIT_ID, every action, entries about deleted records,
// legacy gaps (no reason, no recipient), SEARCH entries with real S01–S20 criteria in DETAIL.
import type { Ctx } from './context.ts';
import { address, crime, crimeDeleted, crimeMeta, nominal, nominalDeleted, nominalId, vehicle, type Row } from './cris.ts';
import { crimeNominals, crimeVehicles } from './cris-links.ts';
import { crisAuditId, gappedId, indexOfGapped, NOMINAL_ID_BASE } from './keys.ts';
import type { Rng } from './random.ts';
import { weighted } from './random.ts';
import { buildCriteria, CRIS_CAPABILITIES, recorded, soundexVariant, type SearchSource } from './searches.ts';
import { fmtSql, fmtIsoDate } from './time.ts';
import { dstQuirk, timelineAt } from './cris.ts';
import * as V from './vocab.ts';

const ACTIONS = weighted([
  ['CREATE', 14], ['UPDATE', 12], ['VIEW', 38], ['SEARCH', 14], ['PRINT', 5], ['DISCLOSE', 6], ['LINK', 8], ['DELETE', 3],
] as const);

/** Try up to `tries` indexes for one that satisfies `ok`; fall back to the last one. */
export function sample(rng: Rng, n: number, ok: (i: number) => boolean, tries = 40): number {
  let i = rng.int(n);
  for (let t = 0; t < tries && !ok(i); t++) i = rng.int(n);
  return i;
}

/** Searches over CRIS, built from live CRIS rows re-derived on demand. */
export function crisSearchSource(ctx: Ctx): SearchSource {
  const c = ctx.counts;
  const src: SearchSource = {
    capabilities: CRIS_CAPABILITIES,
    horizon: 1,
    person(rng, needDob) {
      const i = sample(rng, recorded(c.nominals, src.horizon), (k) => {
        const m = nominal(ctx, k).meta;
        return !m.deleted && !m.planted && !m.damaged && (!needDob || (m.dob !== null && m.forenames !== null));
      });
      const m = nominal(ctx, i).meta;
      return { key: String(m.id), surname: m.surname, forenames: m.forenames, dob: m.dob, dobPrecision: m.dob ? 'day' : null };
    },
    place: (rng) => address(ctx, rng.int(recorded(c.addresses, src.horizon))).meta,
    vehicle: (rng) => vehicle(ctx, rng.int(recorded(c.vehicles, src.horizon))).meta,
    event(rng) {
      const i = sample(rng, recorded(c.crimes, src.horizon), (k) => !crimeDeleted(ctx, k), 10);
      const cr = crime(ctx, i);
      return { reference: cr.meta.crisNo, reported: cr.meta.reported, narrative: cr.narrative ?? '', hoCode: cr.meta.hoCode, borough: cr.meta.borough };
    },
    phone: () => '07700 900000', // CRIS holds no phones: S12 is not offered for CRIS
    link(rng) {
      for (let t = 0; t < 40; t++) {
        const links = crimeNominals(ctx, rng.int(recorded(c.crimes, src.horizon))).filter((l) => indexOfGapped(l.id - NOMINAL_ID_BASE) >= 0 && indexOfGapped(l.id - NOMINAL_ID_BASE) < c.nominals);
        if (links.length > 0) {
          const l = rng.pick(links);
          return { nominal: String(l.id), role: l.role };
        }
      }
      return { nominal: String(nominalId(0)), role: 'VI' };
    },
    linkedVrm(rng) {
      for (let t = 0; t < 40; t++) {
        const links = crimeVehicles(ctx, rng.int(recorded(c.crimes, src.horizon)));
        if (links.length > 0) {
          const idx = indexOfGapped(rng.pick(links).id);
          if (idx >= 0 && idx < c.vehicles) return vehicle(ctx, idx).meta.vrm;
        }
      }
      return vehicle(ctx, 0).meta.vrm;
    },
  };
  return src;
}

function nearIndex(rng: Rng, frac: number, n: number): number {
  const w = Math.max(20, Math.floor(n * 0.02));
  return Math.max(0, Math.min(n - 1, Math.floor(frac * n) - rng.int(w)));
}

/** The nearest deleted record at or after index i (wrapping), or i itself when none is close. */
function nearestDeleted(i: number, n: number, deleted: (k: number) => boolean): number {
  for (let d = 0; d < Math.min(n, 2000); d++) if (deleted((i + d) % n)) return (i + d) % n;
  return i;
}

function updateDetail(table: string, idx: number, ctx: Ctx, rng: Rng): string {
  if (table === 'NOMINAL') {
    const m = nominal(ctx, idx).meta;
    const f = rng.int(3);
    if (f === 0) return JSON.stringify({ SURNAME: [soundexVariant(m.surname, rng).toUpperCase(), m.surname.toUpperCase()] });
    if (f === 1) return JSON.stringify({ ADDRESS_ID: [gappedId(rng.int(ctx.counts.addresses)), gappedId(rng.int(ctx.counts.addresses))] });
    return JSON.stringify({ DOB: ['1900-01-01', m.dob ? `${m.dob.y}-${String(m.dob.m).padStart(2, '0')}-${String(m.dob.d).padStart(2, '0')}` : null] });
  }
  if (table === 'CRIME_REPORT') {
    const f = rng.int(3);
    if (f === 0) return JSON.stringify({ STATUS: [rng.pick(['O', 'R']), rng.pick(['C', 'N'])] });
    if (f === 1) return JSON.stringify({ OIC: [String(rng.range(100_000, 299_999)), String(rng.range(100_000, 299_999))] });
    return JSON.stringify({ HO_CLASS: [rng.choose(ctx.ref.offenceWeights).code, crimeMeta(ctx, idx).hoCode] });
  }
  if (table === 'VEHICLE') return JSON.stringify({ COLOUR: [rng.pick(V.COLOURS).toUpperCase(), vehicle(ctx, idx).meta.colour.toUpperCase()] });
  return JSON.stringify({ POSTCODE: [null, address(ctx, idx).meta.postcode] });
}

/** AUDIT_TRAIL rows in AUDIT_ID order. */
export function* crisAuditRows(ctx: Ctx): Generator<Row> {
  const n = ctx.counts.crisAudit;
  const src = crisSearchSource(ctx);
  const idStream = ctx.stream('AUDIT_TRAIL-id');
  const caps = CRIS_CAPABILITIES;
  let searches = ctx.hash('AUDIT_TRAIL-caps', 0, caps.length);
  const { rates } = ctx;
  for (let j = 0; j < n; j++) {
    const rng = ctx.rng('AUDIT_TRAIL', j);
    const action = rng.choose(ACTIONS);
    const frac = (j + 0.5) / n;
    const at = dstQuirk(timelineAt(j, n, rng.float()), rng, ctx);
    const row: Row = {
      audit_id: crisAuditId(j, idStream), table_name: 'SEARCH', record_key: null, action, user_id: rng.pick(ctx.users),
      action_dt: fmtSql(at), reason: null, recipient: null, detail: null,
    };
    if (action === 'SEARCH') {
      src.horizon = (j + 1) / n;
      row.detail = JSON.stringify(buildCriteria(caps[searches++ % caps.length]!, rng, src));
      row.reason = rng.chance(0.7) ? rng.pick(V.REASONS) : null;
      yield row;
      continue;
    }
    const t = rng.float();
    const table = action === 'PRINT' ? 'CRIME_REPORT' : t < 0.62 ? 'CRIME_REPORT' : t < 0.92 || action === 'DISCLOSE' || action === 'LINK' ? 'NOMINAL' : t < 0.96 ? 'VEHICLE' : 'ADDRESS';
    const size = table === 'CRIME_REPORT' ? ctx.counts.crimes : table === 'NOMINAL' ? ctx.counts.nominals : table === 'VEHICLE' ? ctx.counts.vehicles : ctx.counts.addresses;
    let idx = action === 'CREATE' ? Math.min(size - 1, Math.floor(frac * size)) : nearIndex(rng, frac, size);
    if (action === 'DELETE' && table === 'CRIME_REPORT') idx = nearestDeleted(idx, size, (k) => crimeDeleted(ctx, k));
    if (action === 'DELETE' && table === 'NOMINAL') idx = nearestDeleted(idx, size, (k) => nominalDeleted(ctx, k));
    row.table_name = table;
    row.record_key = table === 'CRIME_REPORT' ? crimeMeta(ctx, idx).crisNo : table === 'NOMINAL' ? String(nominalId(idx)) : String(gappedId(idx));
    if (action === 'UPDATE') row.detail = updateDetail(table, idx, ctx, rng);
    if (action === 'VIEW' || action === 'PRINT' || action === 'DISCLOSE') {
      row.reason = rng.chance(rates.reasonMissing) ? null : rng.pick(V.REASONS);
      if (row.reason !== null && rng.chance(0.3)) row.reason = `${row.reason} ${fmtIsoDate(at)}`;
    }
    if (action === 'DISCLOSE') row.recipient = rng.chance(rates.recipientMissing) ? null : rng.pick(V.RECIPIENTS);
    if (action === 'PRINT' && rng.chance(0.4)) row.recipient = rng.pick(V.RECIPIENTS);
    if (action === 'LINK' || action === 'DELETE' || action === 'CREATE' || action === 'UPDATE') row.reason = rng.chance(0.2) ? rng.pick(V.REASONS) : null;
    yield row;
  }
}
