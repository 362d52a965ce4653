// CRIMINT audit.json: ids A000000001…, every action, entries about deleted records, legacy
// gaps (no reason, no recipient), SEARCH entries with `criteria` {capability, params}.
import type { Ctx } from './context.ts';
import { dstQuirk, timelineAt } from './cris.ts';
import { sample } from './cris-audit.ts';
import { crimintNominal, crimintNominalDeleted, intelReport, reportDeleted, reportHead, type Json } from './crimint.ts';
import { planted } from './planted.ts';
import { crimintAuditId, nominalRef } from './keys.ts';
import { weighted, type Rng } from './random.ts';
import { buildCriteria, CRIMINT_CAPABILITIES, recorded, type SearchSource } from './searches.ts';
import { fmtUk } from './time.ts';
import * as V from './vocab.ts';

const ACTIONS = weighted([
  ['CREATE', 12], ['UPDATE', 10], ['VIEW', 38], ['SEARCH', 16], ['PRINT', 5], ['DISCLOSE', 7], ['LINK', 8], ['DELETE', 4],
] as const);

/** Searches over CRIMINT, built from live CRIMINT records re-derived on demand. */
export function crimintSearchSource(ctx: Ctx): SearchSource {
  const c = ctx.counts;
  let horizon = 1;
  const liveReport = (k: number) => !reportDeleted(ctx, k) && k !== planted(ctx).cnReportBadDate && k !== planted(ctx).cnReportBadMopi;
  const reportWith = (rng: Rng, ok: (m: ReturnType<typeof intelReport>['meta']) => boolean) => {
    const i = sample(rng, recorded(c.cnReports, horizon), (k) => liveReport(k) && ok(intelReport(ctx, k).meta), 60);
    return intelReport(ctx, i).meta;
  };
  const nominalWith = (rng: Rng, ok: (m: ReturnType<typeof crimintNominal>['meta']) => boolean) => {
    const i = sample(rng, recorded(c.cnNominals, horizon), (k) => {
      const m = crimintNominal(ctx, k).meta;
      return !m.deleted && !m.planted && !m.damaged && ok(m);
    }, 60);
    return crimintNominal(ctx, i).meta;
  };
  return {
    capabilities: CRIMINT_CAPABILITIES,
    get horizon() {
      return horizon;
    },
    set horizon(h: number) {
      horizon = h;
    },
    person(rng, needDob) {
      const m = nominalWith(rng, (x) => !needDob || (x.dob !== null && x.forenames !== null));
      return { key: m.ref, surname: m.surname, forenames: m.forenames, dob: m.dob, dobPrecision: m.dobPrecision };
    },
    place(rng) {
      if (rng.chance(0.5)) return reportWith(rng, (m) => m.places.length > 0).places[0] ?? nominalWith(rng, (m) => m.places.length > 0).places[0]!;
      return nominalWith(rng, (m) => m.places.length > 0).places[0] ?? { street: 'High Street', town: 'London', postcode: 'SE1 9GF' };
    },
    vehicle(rng) {
      return reportWith(rng, (m) => m.vehicles.length > 0).vehicles[0] ?? { vrm: 'AB12 CDE', make: 'Ford', model: 'Focus', colour: 'Blue' };
    },
    event(rng) {
      const m = reportWith(rng, () => true);
      return { reference: m.urn, reported: m.created, narrative: m.text, scheme: m.scheme, grading: m.grading };
    },
    phone(rng) {
      return nominalWith(rng, (m) => m.phones.length > 0).phones[0] ?? '07700 900000';
    },
    link(rng) {
      const s = reportWith(rng, (m) => m.subjects.length > 0).subjects[0] ?? { ref: nominalRef(0), role: 'SUBJECT' };
      return { nominal: s.ref, role: s.role };
    },
    linkedVrm(rng) {
      return reportWith(rng, (m) => m.vehicles.length > 0 && m.subjects.length > 0).vehicles[0]?.vrm ?? 'AB12 CDE';
    },
  };
}

function near(rng: Rng, frac: number, n: number): number {
  const w = Math.max(10, Math.floor(n * 0.02));
  return Math.max(0, Math.min(n - 1, Math.floor(frac * n) - rng.int(w)));
}

function nearestDeleted(i: number, n: number, deleted: (k: number) => boolean): number {
  for (let d = 0; d < Math.min(n, 2000); d++) if (deleted((i + d) % n)) return (i + d) % n;
  return i;
}

/** audit.json entries in id order (field order as legacy-data.md). */
export function* crimintAuditEntries(ctx: Ctx): Generator<Json> {
  const n = ctx.counts.cnAudit;
  const src = crimintSearchSource(ctx);
  const caps = CRIMINT_CAPABILITIES;
  let searches = ctx.hash('audit.json-caps', 0, caps.length);
  const { rates } = ctx;
  for (let j = 0; j < n; j++) {
    const rng = ctx.rng('audit.json', j);
    const action = rng.choose(ACTIONS);
    const at = dstQuirk(timelineAt(j, n, rng.float()), rng, ctx);
    const entry: Json = { id: crimintAuditId(j), at: fmtUk(at), user: rng.pick(ctx.users), action, entity: 'search', key: null, reason: null, recipient: null, criteria: null };
    if (action === 'SEARCH') {
      src.horizon = (j + 1) / n;
      entry.reason = rng.chance(0.7) ? rng.pick(V.REASONS) : null;
      entry.criteria = buildCriteria(caps[searches++ % caps.length]!, rng, src);
      yield entry;
      continue;
    }
    const frac = (j + 0.5) / n;
    const onReport = action === 'PRINT' || rng.chance(0.6);
    if (onReport) {
      let i = action === 'CREATE' ? Math.min(ctx.counts.cnReports - 1, Math.floor(frac * ctx.counts.cnReports)) : near(rng, frac, ctx.counts.cnReports);
      if (action === 'DELETE') i = nearestDeleted(i, ctx.counts.cnReports, (k) => reportDeleted(ctx, k));
      entry.entity = 'intel_report';
      entry.key = reportHead(ctx, i).urn;
    } else {
      let i = action === 'CREATE' ? Math.min(ctx.counts.cnNominals - 1, Math.floor(frac * ctx.counts.cnNominals)) : near(rng, frac, ctx.counts.cnNominals);
      if (action === 'DELETE') i = nearestDeleted(i, ctx.counts.cnNominals, (k) => crimintNominalDeleted(ctx, k));
      entry.entity = 'nominal';
      entry.key = nominalRef(i);
    }
    if (action === 'VIEW' || action === 'PRINT' || action === 'DISCLOSE') entry.reason = rng.chance(rates.reasonMissing) ? null : rng.pick(V.REASONS);
    else entry.reason = rng.chance(0.2) ? rng.pick(V.REASONS) : null;
    if (action === 'DISCLOSE') entry.recipient = rng.chance(rates.recipientMissing) ? null : rng.pick(V.RECIPIENTS);
    if (action === 'PRINT' && rng.chance(0.4)) entry.recipient = rng.pick(V.RECIPIENTS);
    yield entry;
  }
}
