// CRIMINT intel_reports.json → record.event (kind intelligence), key `urn` (`IR/YYYY/NNNNNNN`), with
// inline items keyed by JSON path:
//   subjects[i]  → record.event_person (role map) → nominals.json `ref`   `${urn}/subjects/${i}`
//   vehicles[i]  → record.object (vehicle) + event_object `mentioned`     `${urn}/vehicles/${i}`
//   locations[i] → record.location + event_location `mentioned`           `${urn}/locations/${i}`
//   phones[i]    → record.object (telephone) + event_object `mentioned`   `${urn}/phones/${i}`
import { targetId } from '../src/core/ids.ts';
import type { LinkOut, Mapping, RowOut } from '../src/pipeline/types.ts';
import { convertGrading, crimintStatus, crimintSubjectRole, parseLegacyDate, type Grading } from '../src/transform/index.ts';
import {
  Ctx, INVALID, crimintExclude, defineMapping, crimintInstant, crimintTime, isBlank, isPlainObject, list, show, str, text, typeName,
} from './lib.ts';
import { locationRow, telephoneRow, vehicleRow } from './rows.ts';
import { type EventRow, eventSchema, locationSchema, objectSchema } from './schemas.ts';

const SYSTEM = 'CRIMINT';
const ENTITY = 'intel_reports.json';
const NOMINALS = 'nominals.json';
const URN_RE = /^IR\/\d{4}\/\d{7}$/;
const INLINE = ['subjects', 'vehicles', 'locations', 'phones'] as const;

export const mapping: Mapping = defineMapping({
  system: SYSTEM,
  entity: ENTITY,
  references: [NOMINALS],
  schemas: { 'record.event': eventSchema, 'record.location': locationSchema, 'record.object': objectSchema },
  exclude: crimintExclude,
  map(rec) {
    const raw = rec.raw;
    const ctx = new Ctx(rec.key);
    const urn = raw['urn'];
    if (typeof urn !== 'string' || urn.trim() === '') {
      return ctx.quarantine('malformed_record', 'urn', `urn must be a non-blank string, found ${typeName(urn)} ${show(urn)}`);
    }
    if (!URN_RE.test(urn)) return ctx.quarantine('invalid_key', 'urn', `urn ${show(urn)} is not IR/YYYY/NNNNNNN`);
    const arrays: Record<(typeof INLINE)[number], readonly unknown[]> = { subjects: [], vehicles: [], locations: [], phones: [] };
    for (const f of INLINE) {
      const l = list(raw, f);
      if (l === undefined) return ctx.quarantine('malformed_record', f, `${f} must be an array, found ${typeName(raw[f])}`);
      arrays[f] = l;
    }

    const rawCreated = raw['created'];
    if (rawCreated !== null && rawCreated !== undefined && typeof rawCreated !== 'string') {
      return ctx.quarantine('invalid_type', 'created', `created must be a string, found ${typeName(rawCreated)} ${show(rawCreated)}`);
    }
    const created = crimintInstant(ctx, rawCreated ?? null, 'created');
    if (created === null) return ctx.quarantine('missing_required', 'created', 'created is blank or missing');
    if (created === INVALID) return ctx.quarantine('invalid_required', 'created', `created ${show(rawCreated)} is not a valid dd/mm/yyyy HH:MM:SS date-time`);

    const grading = gradingOf(ctx, raw);

    const rawStatus = str(ctx, raw['status'], 'status');
    const status = crimintStatus(rawStatus);
    if (status === null && !isBlank(rawStatus)) ctx.warn('invalid_status', 'status', `status ${show(rawStatus)} is not ACTIVE or ARCHIVED; stored as NULL`);

    const rawReview = str(ctx, raw['reviewDate'], 'reviewDate');
    let reviewDue: string | null = null;
    if (!isBlank(rawReview)) {
      reviewDue = parseLegacyDate(rawReview);
      if (reviewDue === null) ctx.warn('invalid_date', 'reviewDate', `reviewDate ${show(rawReview)} is not a valid dd/mm/yyyy date; stored as NULL`);
    }

    const mopi = raw['mopiGroup'];
    let mopiGroup: number | null = null;
    if (mopi === 1 || mopi === 2 || mopi === 3) mopiGroup = mopi;
    else if (mopi !== null && mopi !== undefined) ctx.warn('invalid_mopi_group', 'mopiGroup', `mopiGroup ${show(mopi)} is not 1, 2 or 3; stored as NULL`);

    const eventId = targetId(SYSTEM, ENTITY, urn);
    const event: EventRow = {
      id: eventId,
      kind: 'intelligence',
      reference: urn,
      occurred_from: null,
      occurred_to: null,
      reported_at: created,
      classification_code: null,
      classification_label: null,
      borough: null,
      status,
      narrative: text(ctx, str(ctx, raw['text'], 'text'), 'text'),
      officer: null,
      grading_source: (grading?.source ?? null) as EventRow['grading_source'],
      grading_intel: (grading?.intel ?? null) as EventRow['grading_intel'],
      grading_handling: (grading?.handling ?? null) as EventRow['grading_handling'],
      legacy_grading: grading?.legacy ?? null,
      mopi_group: mopiGroup,
      review_due: reviewDue,
      restricted: false,
      source_system: SYSTEM,
      created_at: created,
      created_by: text(ctx, str(ctx, raw['createdBy'], 'createdBy'), 'createdBy'),
      updated_at: crimintTime(ctx, raw, 'updated'),
      updated_by: text(ctx, str(ctx, raw['updatedBy'], 'updatedBy'), 'updatedBy'),
    };
    const rows: RowOut[] = [{ table: 'record.event', key: urn, row: event }];
    const links: LinkOut[] = [];

    const { subjects, vehicles, locations, phones } = arrays;
    const seen = subjects.length > 1 ? new Set<string>() : null;
    for (let i = 0; i < subjects.length; i++) {
      const s: unknown = subjects[i];
      const path = `subjects/${i}`;
      if (!isPlainObject(s)) {
        ctx.warn('invalid_type', path, `a subject must be an object, found ${typeName(s)}; subject not linked`);
        continue;
      }
      const ref = s['ref'];
      if (typeof ref !== 'string' || ref.trim() === '') {
        ctx.warn('subject_missing_ref', `${path}/ref`, `subject ref must be a non-blank string, found ${typeName(ref)} ${show(ref)}; subject not linked`);
        continue;
      }
      const role = crimintSubjectRole(s['role']);
      if (role === null) {
        ctx.warn('invalid_role', `${path}/role`, `subject role ${show(s['role'])} is not SUBJECT, ASSOCIATE, VICTIM or MENTIONED; subject not linked`);
        continue;
      }
      if (seen !== null) {
        const k = `${ref}\u0000${role}`;
        if (seen.has(k)) {
          ctx.warn('duplicate_link', path, `subject ${show(ref)} is already linked as ${role}; repeated entry not linked`);
          continue;
        }
        seen.add(k);
      }
      links.push({
        table: 'record.event_person',
        key: `${urn}/${path}`,
        row: { event_id: eventId, person_id: targetId(SYSTEM, NOMINALS, ref), role },
        refs: [{ column: 'person_id', entity: NOMINALS, key: ref }],
      });
    }

    for (let i = 0; i < vehicles.length; i++) {
      const v: unknown = vehicles[i];
      const path = `vehicles/${i}`;
      if (!isPlainObject(v)) {
        ctx.warn('invalid_type', path, `a vehicle must be an object, found ${typeName(v)}; vehicle skipped`);
        continue;
      }
      const key = `${urn}/${path}`;
      const id = targetId(SYSTEM, ENTITY, key);
      rows.push({ table: 'record.object', key, row: vehicleRow(ctx, id, SYSTEM, v, `${path}/`) });
      links.push({ table: 'record.event_object', key, row: { event_id: eventId, object_id: id, role: 'mentioned' }, refs: [] });
    }

    for (let i = 0; i < locations.length; i++) {
      const l: unknown = locations[i];
      const path = `locations/${i}`;
      if (!isPlainObject(l)) {
        ctx.warn('invalid_type', path, `a location must be an object, found ${typeName(l)}; location skipped`);
        continue;
      }
      const key = `${urn}/${path}`;
      const id = targetId(SYSTEM, ENTITY, key);
      rows.push({ table: 'record.location', key, row: locationRow(ctx, id, SYSTEM, l, `${path}/`) });
      links.push({ table: 'record.event_location', key, row: { event_id: eventId, location_id: id, role: 'mentioned' }, refs: [] });
    }

    for (let i = 0; i < phones.length; i++) {
      const path = `phones/${i}`;
      const key = `${urn}/${path}`;
      const id = targetId(SYSTEM, ENTITY, key);
      rows.push({ table: 'record.object', key, row: telephoneRow(ctx, id, SYSTEM, phones[i], path) });
      links.push({ table: 'record.event_object', key, row: { event_id: eventId, object_id: id, role: 'mentioned' }, refs: [] });
    }

    return ctx.loaded(rows, links);
  },
});

/**
 * `gradingScheme` + `grading` → 3x5x2 columns and the grading as recorded. Both absent → null (no
 * warning); anything invalid → null + `invalid_grading`; 5x5x5 source C → `grading_ambiguous`.
 */
function gradingOf(ctx: Ctx, raw: Record<string, unknown>): (Grading & { legacy: string }) | null {
  const scheme = raw['gradingScheme'];
  const g = raw['grading'];
  if ((scheme === null || scheme === undefined) && (g === null || g === undefined)) return null;
  if (typeof scheme !== 'string') {
    ctx.warn('invalid_grading', 'gradingScheme', `gradingScheme ${show(scheme)} is not 5x5x5 or 3x5x2; grading stored as NULL`);
    return null;
  }
  if (!isPlainObject(g)) {
    ctx.warn('invalid_grading', 'grading', `grading must be an object, found ${typeName(g)}; grading stored as NULL`);
    return null;
  }
  const r = convertGrading(scheme, g as unknown as Grading);
  if ('error' in r) {
    ctx.warn('invalid_grading', 'grading', `${r.error} (${scheme} ${show(g)}); grading stored as NULL`);
    return null;
  }
  if (r.warning !== null) ctx.warn(r.warning, 'grading', `5x5x5 source C (${r.legacy}) converted to 3x5x2 source 2 (untested)`);
  return r;
}
