// CRIS CRIME_REPORT → record.event (kind crime), and record.event_location `occurred_at` → ADDRESS
// through LOCATION_ID. Key: CRIS_NO (`NNNNNNN/YY`), which is also the event reference.
import { targetId } from '../src/core/ids.ts';
import type { LinkOut, Mapping } from '../src/pipeline/types.ts';
import { crisStatus } from '../src/transform/index.ts';
import { Ctx, defineMapping, INVALID, crisExclude, crisTime as time, intKey, isBlank, localInstant, show, str, text, typeName } from './lib.ts';
import { hoOffenceLabel } from './reference/ho-offence-codes.ts';
import { type EventRow, eventSchema } from './schemas.ts';

const SYSTEM = 'CRIS';
const ENTITY = 'CRIME_REPORT';
const CRIS_NO_RE = /^\d{7}\/\d{2}$/;

export const mapping: Mapping = defineMapping({
  system: SYSTEM,
  entity: ENTITY,
  references: ['ADDRESS'],
  schemas: { 'record.event': eventSchema },
  exclude: crisExclude,
  map(rec) {
    const raw = rec.raw;
    const ctx = new Ctx(rec.key);
    if (!CRIS_NO_RE.test(rec.key)) {
      return ctx.quarantine('invalid_key', 'cris_no', `CRIS number ${show(rec.key)} is not NNNNNNN/YY`);
    }

    const rawReported = raw['reported_dt'];
    if (rawReported !== null && rawReported !== undefined && typeof rawReported !== 'string') {
      return ctx.quarantine('invalid_type', 'reported_dt', `reported_dt must be a local date-time text, found ${typeName(rawReported)} ${show(rawReported)}`);
    }
    const reported = localInstant(ctx, rawReported ?? null, 'reported_dt');
    if (reported === null) return ctx.quarantine('missing_required', 'reported_dt', 'reported_dt is missing');
    if (reported === INVALID) return ctx.quarantine('invalid_required', 'reported_dt', `reported_dt ${show(rawReported)} is not a valid date-time`);

    const from = time(ctx, raw, 'committed_from');
    const to = time(ctx, raw, 'committed_to');
    if (from !== null && to !== null && to.getTime() < from.getTime()) {
      ctx.warn('committed_to_before_from', 'committed_to', `committed_to ${show(raw['committed_to'])} is before committed_from ${show(raw['committed_from'])}; both kept`);
    }

    const code = text(ctx, str(ctx, raw['ho_class'], 'ho_class'), 'ho_class');
    let label: string | null = null;
    if (code !== null) {
      label = hoOffenceLabel(code);
      if (label === null) ctx.warn('unknown_classification', 'ho_class', `HO code ${show(code)} is not in the offence code reference; label stored as NULL`);
    }

    const rawStatus = str(ctx, raw['status'], 'status');
    const status = crisStatus(rawStatus);
    if (status === null && !isBlank(rawStatus)) ctx.warn('invalid_status', 'status', `status ${show(rawStatus)} is not O, C, N or R; stored as NULL`);

    const id = targetId(SYSTEM, ENTITY, rec.key);
    const row: EventRow = {
      id,
      kind: 'crime',
      reference: rec.key,
      occurred_from: from,
      occurred_to: to,
      reported_at: reported,
      classification_code: code,
      classification_label: label,
      borough: text(ctx, str(ctx, raw['borough'], 'borough'), 'borough'),
      status,
      narrative: text(ctx, str(ctx, raw['mo_text'], 'mo_text'), 'mo_text'),
      officer: text(ctx, str(ctx, raw['oic'], 'oic'), 'oic'),
      grading_source: null,
      grading_intel: null,
      grading_handling: null,
      legacy_grading: null,
      mopi_group: null,
      review_due: null,
      restricted: false,
      source_system: SYSTEM,
      created_at: time(ctx, raw, 'created_dt'),
      created_by: text(ctx, str(ctx, raw['created_by'], 'created_by'), 'created_by'),
      updated_at: time(ctx, raw, 'updated_dt'),
      updated_by: text(ctx, str(ctx, raw['updated_by'], 'updated_by'), 'updated_by'),
    };

    const links: LinkOut[] = [];
    const locationKey = intKey(raw['location_id']);
    if (locationKey === undefined) {
      ctx.warn('invalid_type', 'location_id', `location_id ${show(raw['location_id'])} is not an integer key; no location linked`);
    } else if (locationKey !== null) {
      links.push({
        table: 'record.event_location',
        key: rec.key,
        row: { event_id: id, location_id: targetId(SYSTEM, 'ADDRESS', locationKey), role: 'occurred_at' },
        refs: [{ column: 'location_id', entity: 'ADDRESS', key: locationKey }],
      });
    }
    return ctx.loaded([{ table: 'record.event', key: rec.key, row }], links);
  },
});
