// Subject access (DPA 2018 s.45; compliance.md "Subject access"): the records S20 finds, with
// the s.45(2) information, written as sar.json and sar.html, and logged as a disclosure to the
// data subject. Optionally checked against the legacy oracle's S20 answer (parity).
//
// Steps:
//  1. validate the request (S20 params: surname, forenames, dob `dd/mm/yyyy`; `YYYY-MM-DD` is
//     accepted and converted);
//  2. S20 through the target search adapter (mappings/search createSqlSearch): record ids of
//     every kind, restricted ones included, and `audit:<origin>:<id>` for legacy disclosures;
//  3. load those records, the subject's roles, the disclosure entries (plus disclosures logged
//     on the new platform, origin RMS, about those records) and the lineage of every record;
//  4. optional parity: the oracle's S20 identities vs the target's (mapped through lineage);
//  5. one transaction: append the `disclosure` event (recipient `data subject`; detail holds
//     counts and target ids, never the name or DOB), write both files, COMMIT. If writing the
//     files fails, the event is rolled back; if the commit fails, the files are removed.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { connect } from '../db/pool.ts';
import { appendAudit } from '../audit/chain.ts';
import { ConfigError, CutoverError } from '../core/problems.ts';
import { validateParams } from '../parity/catalog.ts';
import { buildOracle, type Oracle } from '../parity/oracle.ts';
import { IdentityMapper, expectedTargetId, readRestricted } from '../parity/lineage.ts';
import type { Source } from '../sources/types.ts';
import { createSqlSearch } from '../../mappings/search/index.ts';
import { inTransaction, lastAuditSeq, requireText, requireUrl } from './common.ts';
import { erasedIds } from './tokens.ts';
import { buildS45 } from './sar-info.ts';
import type {
  DisclosureRow, EventRow, LocationRow, ObjectRow, OtherNameRow, PersonRow, SarCounts, SarDocument, SarParity, SarParityRecord, SarRecords, SarSource, WithSource,
} from './sar-document.ts';
import { renderSarHtml } from './sar-html.ts';

export type { SarCounts, SarDocument, SarParity, SarParityRecord, SarSource } from './sar-document.ts';

export interface SubjectAccessOptions {
  url: string;
  surname: string;
  forenames: string;
  /** `dd/mm/yyyy` (`00/mm/yyyy`, `00/00/yyyy` for a partial DOB) or `YYYY-MM-DD`. */
  dob: string;
  /** Directory for sar.json and sar.html (created if missing). */
  outDir: string;
  /** Who produced the response (audit actor; default `cutover`). */
  actor?: string;
  /** Compare with the legacy oracle's S20 answer: the legacy sources (read once; the caller closes them), or an oracle already built. */
  parity?: { crisSource: Source; crimintSource: Source } | { oracle: Oracle };
}

export interface SubjectAccessResult {
  sarId: string;
  generatedAt: string;
  files: { json: string; html: string };
  counts: SarCounts;
  /** Target ids of the people the request matched. */
  personIds: string[];
  /** seq of the disclosure event in audit.event. */
  auditSeq: string;
  parity?: SarParity;
  ms: number;
}

function normaliseDob(dob: unknown): string {
  if (typeof dob !== 'string') throw new ConfigError('dob is required', 'pass --dob dd/mm/yyyy');
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(dob);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : dob.trim();
}

export async function subjectAccess(opts: SubjectAccessOptions): Promise<SubjectAccessResult> {
  const started = performance.now();
  const url = requireUrl(opts.url);
  const outDir = requireText(opts.outDir, 'out-dir', 'where sar.json and sar.html are written');
  const actor = opts.actor === undefined ? 'cutover' : requireText(opts.actor, 'actor', 'who produced the response');
  const request = { surname: String(opts.surname ?? ''), forenames: String(opts.forenames ?? ''), dob: normaliseDob(opts.dob) };
  const v = validateParams('S20', request);
  if (!v.ok) throw new ConfigError(`subject access request: ${v.message}`, 'give --surname, --forenames (may be empty) and --dob dd/mm/yyyy (00/mm/yyyy or 00/00/yyyy when partial)');

  // 2. S20 on the target
  const search = createSqlSearch(url, { poolSize: 2 });
  let found: string[];
  try {
    found = await search.search('S20', request);
  } finally {
    await search.close();
  }

  const c = await connect(url);
  try {
    // 3. the records
    const doc = await loadDocument(c, found, request);
    // 4. parity
    if (opts.parity) doc.parity = await sarParity(c, found, request, opts.parity);

    // 5. log + files, atomically
    const jsonFile = path.resolve(outDir, 'sar.json');
    const htmlFile = path.resolve(outDir, 'sar.html');
    const personIds = doc.records.persons.map((p) => p.id);
    let auditSeq = '';
    let written = false;
    try {
      await inTransaction(c, async () => {
        await appendAudit(c, [{
          occurred_at: new Date(doc.generatedAt), actor, operation: 'disclosure',
          justification: 'subject access request (DPA 2018 s.45)', recipient: 'data subject',
          entity_type: 'person', entity_id: personIds[0] ?? null, entity_ref: null,
          detail: { sar_id: doc.sarId, persons: personIds, counts: doc.counts },
          origin: 'RMS', legacy_audit_id: null,
        }]);
        auditSeq = await lastAuditSeq(c);
        await mkdir(path.resolve(outDir), { recursive: true });
        written = true;
        await writeFile(jsonFile, JSON.stringify(doc, null, 2) + '\n', 'utf8');
        await writeFile(htmlFile, renderSarHtml(doc), 'utf8');
      });
    } catch (err) {
      if (written) await Promise.all([rm(jsonFile, { force: true }), rm(htmlFile, { force: true })]);
      if (err instanceof CutoverError) throw err;
      throw new CutoverError(`subject access response not produced: ${(err as Error).message}`, 'nothing was logged; fix the cause (e.g. the output directory) and run it again', { cause: err });
    }
    return {
      sarId: doc.sarId, generatedAt: doc.generatedAt, files: { json: jsonFile, html: htmlFile }, counts: doc.counts,
      personIds, auditSeq, ...(doc.parity ? { parity: doc.parity } : {}), ms: Math.round(performance.now() - started),
    };
  } finally {
    await c.end();
  }
}

/** A person identity: `CRIS:NOMINAL:<key>` or `CRIMINT:nominals.json:<ref>` (not an alias or inline item). */
const PERSON_IDENTITY = /^(CRIS:NOMINAL:[^/]+|CRIMINT:nominals\.json:[^/]+)$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NOTES: readonly string[] = [
  'Records marked "restricted" are held with processing restricted under DPA 2018 s.47(2): they are kept but not used for general searches.',
  'Before release, a disclosure officer reviews third-party information in narratives and the s.45(4) exemptions (e.g. prejudice to an investigation).',
  'User ids of police staff are not included (third-party data).',
];

async function loadDocument(c: pg.Client, found: string[], request: SarDocument['request']): Promise<SarDocument> {
  const rows = await readSarRows(c, splitFound(found));
  return assembleDocument(found, request, rows, { sarId: randomUUID(), generatedAt: new Date(Math.trunc(Date.now())).toISOString() });
}

// --- reading: SQL only -----------------------------------------------------------------------

/** What S20 returned, by kind: record ids (lower case) and legacy audit entries (`audit:<origin>:<id>`). */
interface FoundIds {
  ids: string[];
  auditKeys: Array<{ origin: string; legacyAuditId: string }>;
}

function splitFound(found: string[]): FoundIds {
  const ids = found.filter((x) => UUID_RE.test(x)).map((x) => x.toLowerCase());
  const auditKeys = found.filter((x) => x.startsWith('audit:')).map((x) => {
    const m = /^audit:([^:]+):(.*)$/.exec(x)!;
    return { origin: m[1]!, legacyAuditId: m[2]! };
  });
  return { ids, auditKeys };
}

/** migration.lineage: a record's legacy origin. */
interface LineageRow {
  id: string;
  source_system: string;
  source_entity: string;
  source_key: string;
}

/** The rows every query of a response returned, as read. */
interface SarRows {
  persons: PersonRow[];
  otherNames: OtherNameRow[];
  events: EventRow[];
  locations: LocationRow[];
  objects: ObjectRow[];
  disclosures: DisclosureRow[];
  /** Ordered by source system, entity and key. */
  lineage: LineageRow[];
}

/** The records, in order: persons found, then the names, events, locations and objects found or linked to them. */
async function readSarRows(c: pg.Client, found: FoundIds): Promise<SarRows> {
  const { ids } = found;
  const persons = await readPersons(c, ids);
  const personIds = persons.map((p) => p.id);
  const otherNames = await readOtherNames(c, ids, personIds);
  const events = await readEvents(c, ids, personIds);
  const eventIds = events.map((e) => e.id);
  const locations = await readLocations(c, ids, personIds, eventIds);
  const objects = await readObjects(c, ids, personIds, eventIds);
  const recordIds = recordIdsOf({ persons, otherNames, events, locations, objects });
  const disclosures = await readDisclosures(c, found.auditKeys, recordIds, personIds);
  const lineage = await readLineage(c, recordIds);
  return { persons, otherNames, events, locations, objects, disclosures, lineage };
}

const recordIdsOf = (r: { [K in keyof SarRecords]: Array<{ id: string }> }): string[] =>
  [...r.persons, ...r.otherNames, ...r.events, ...r.locations, ...r.objects].map((x) => x.id);

async function readPersons(c: pg.Client, ids: string[]): Promise<PersonRow[]> {
  const { rows } = await c.query<PersonRow>(
    `SELECT id::text, surname, forenames, date_of_birth::text AS date_of_birth, dob_precision, sex, ethnicity, pnc_id, cro_no, restricted,
            source_system, created_at, updated_at
       FROM record.person WHERE id = ANY($1::uuid[]) ORDER BY surname, forenames, id`,
    [ids],
  );
  return rows;
}

async function readOtherNames(c: pg.Client, ids: string[], personIds: string[]): Promise<OtherNameRow[]> {
  const { rows } = await c.query<OtherNameRow>(
    `SELECT id::text, person_id::text, kind, surname, forenames, date_of_birth::text AS date_of_birth, dob_precision
       FROM record.person_name WHERE id = ANY($1::uuid[]) OR person_id = ANY($2::uuid[]) ORDER BY person_id, surname, id`,
    [ids, personIds],
  );
  return rows;
}

async function readEvents(c: pg.Client, ids: string[], personIds: string[]): Promise<EventRow[]> {
  const { rows } = await c.query<EventRow>(
    `SELECT e.id::text, e.kind, e.reference, e.occurred_from, e.occurred_to, e.reported_at, e.classification_code, e.classification_label,
            e.borough, e.status, e.narrative, e.officer, e.legacy_grading, e.grading_source, e.grading_intel, e.grading_handling,
            e.mopi_group, e.review_due::text AS review_due, e.restricted, e.source_system,
            coalesce((SELECT array_agg(DISTINCT ep.role ORDER BY ep.role) FROM record.event_person ep
                       WHERE ep.event_id = e.id AND ep.person_id = ANY($2::uuid[])), '{}') AS "yourRoles"
       FROM record.event e WHERE e.id = ANY($1::uuid[]) ORDER BY e.reported_at, e.reference`,
    [ids, personIds],
  );
  return rows;
}

async function readLocations(c: pg.Client, ids: string[], personIds: string[], eventIds: string[]): Promise<LocationRow[]> {
  const { rows } = await c.query<LocationRow>(
    `SELECT l.id::text, l.premises, l.street, l.locality, l.town, l.postcode, l.easting, l.northing, l.source_system,
            array_remove(ARRAY(SELECT 'your address (' || pl.role || ')' FROM record.person_location pl WHERE pl.location_id = l.id AND pl.person_id = ANY($2::uuid[]))
              || ARRAY(SELECT el.role || ' — ' || e.reference FROM record.event_location el JOIN record.event e ON e.id = el.event_id
                        WHERE el.location_id = l.id AND el.event_id = ANY($3::uuid[]) ORDER BY e.reference), NULL) AS links
       FROM record.location l WHERE l.id = ANY($1::uuid[]) ORDER BY l.postcode, l.street, l.id`,
    [ids, personIds, eventIds],
  );
  return rows;
}

async function readObjects(c: pg.Client, ids: string[], personIds: string[], eventIds: string[]): Promise<ObjectRow[]> {
  const { rows } = await c.query<ObjectRow>(
    `SELECT o.id::text, o.kind, o.vrm, o.make, o.model, o.colour, o.telephone, o.source_system,
            array_remove(ARRAY(SELECT 'used by you (' || po.role || ')' FROM record.person_object po WHERE po.object_id = o.id AND po.person_id = ANY($2::uuid[]))
              || ARRAY(SELECT eo.role || ' — ' || e.reference FROM record.event_object eo JOIN record.event e ON e.id = eo.event_id
                        WHERE eo.object_id = o.id AND eo.event_id = ANY($3::uuid[]) ORDER BY e.reference), NULL) AS links
       FROM record.object o WHERE o.id = ANY($1::uuid[]) ORDER BY o.kind, o.vrm, o.telephone, o.id`,
    [ids, personIds, eventIds],
  );
  return rows;
}

/**
 * The legacy disclosures S20 found, and disclosures logged on the new platform about these
 * records (staff user ids are not included: third-party data).
 */
async function readDisclosures(c: pg.Client, auditKeys: FoundIds['auditKeys'], recordIds: string[], personIds: string[]): Promise<DisclosureRow[]> {
  const { rows } = await c.query<DisclosureRow>(
    `SELECT a.seq::text, a.occurred_at, a.recipient, a.justification, a.entity_type, a.entity_id::text, a.entity_ref, a.origin, a.legacy_audit_id
       FROM audit.event a
      WHERE a.operation = 'disclosure'
        AND ((a.origin, a.legacy_audit_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
             OR (a.origin = 'RMS' AND (a.entity_id = ANY($3::uuid[]) OR coalesce(a.detail->'persons', '[]'::jsonb) ?| $4::text[])))
      ORDER BY a.occurred_at, a.seq`,
    [auditKeys.map((k) => k.origin), auditKeys.map((k) => k.legacyAuditId), recordIds, personIds],
  );
  return rows;
}

async function readLineage(c: pg.Client, recordIds: string[]): Promise<LineageRow[]> {
  const { rows } = await c.query<LineageRow>(
    `SELECT target_id::text AS id, source_system, source_entity, source_key FROM migration.lineage WHERE target_id = ANY($1::uuid[]) ORDER BY source_system, source_entity, source_key`,
    [recordIds],
  );
  return rows;
}

// --- assembling: no database -----------------------------------------------------------------

/** The document from the rows read: records with their origin, counts, the s.45(2) sections, and the ids S20 gave that nothing holds. */
function assembleDocument(found: string[], request: SarDocument['request'], rows: SarRows, at: { sarId: string; generatedAt: string }): SarDocument {
  const withSource = sourceOf(rows.lineage);
  const records: SarRecords = {
    persons: rows.persons.map(withSource),
    otherNames: rows.otherNames.map(withSource),
    events: rows.events.map(withSource),
    locations: rows.locations.map(withSource),
    objects: rows.objects.map(withSource),
  };
  const { disclosures } = rows;
  const unresolved = unresolvedOf(found, recordIdsOf(records), disclosures);
  return {
    format: 'cutover-sar/1',
    sarId: at.sarId,
    generatedAt: at.generatedAt,
    request,
    counts: countsOf(records, disclosures, unresolved),
    records,
    disclosures,
    s45: buildS45(records, disclosures, at.generatedAt.slice(0, 10)),
    notes: [...NOTES],
    unresolved,
  };
}

/** Adds a record's origin: the first lineage row naming it (in lineage order), or null. */
function sourceOf(lineage: LineageRow[]): <R extends { id: string }>(r: R) => WithSource<R> {
  const byId = new Map<string, SarSource>();
  for (const r of lineage) {
    if (!byId.has(r.id)) byId.set(r.id, { sourceSystem: r.source_system, sourceEntity: r.source_entity, legacyReference: r.source_key });
  }
  return (r) => ({ ...r, source: byId.get(r.id) ?? null });
}

/** The ids S20 returned that no record read holds, and the legacy audit entries no disclosure read is. */
function unresolvedOf(found: string[], recordIds: string[], disclosures: DisclosureRow[]): string[] {
  const known = new Set(recordIds);
  const foundAudit = new Set(disclosures.filter((d) => d.legacy_audit_id !== null).map((d) => `audit:${d.origin}:${d.legacy_audit_id}`));
  return found.filter((x) => (UUID_RE.test(x) ? !known.has(x.toLowerCase()) : !foundAudit.has(x)));
}

function countsOf(r: SarRecords, disclosures: DisclosureRow[], unresolved: string[]): SarCounts {
  return {
    persons: r.persons.length, otherNames: r.otherNames.length, events: r.events.length, locations: r.locations.length,
    objects: r.objects.length, disclosures: disclosures.length, unresolved: unresolved.length,
  };
}

/**
 * Why each of these legacy identities is not in the target, where the migration schema says:
 * 'erased' (an erasure removed it and excluded it as `erased`: the person, and an address or object
 * of their own), or 'not_migrated' (quarantined or retention-excluded, with no lineage). Only the
 * identities asked for are looked up, by the key of each table.
 */
async function whyNotInTarget(c: pg.Client, identities: string[]): Promise<Map<string, 'erased' | 'not_migrated'>> {
  if (identities.length === 0) return new Map();
  const { rows } = await c.query<{ identity: string; reason: 'erased' | 'not_migrated' }>(
    // SYSTEM:ENTITY:KEY; the key may hold colons
    `WITH x AS (
       SELECT identity, split_part(identity, ':', 1) AS sys, split_part(identity, ':', 2) AS ent,
              substr(identity, length(split_part(identity, ':', 1)) + length(split_part(identity, ':', 2)) + 3) AS k
         FROM unnest($1::text[]) AS u(identity))
     SELECT x.identity,
            CASE WHEN EXISTS (SELECT 1 FROM migration.exclusion e WHERE (e.source_system, e.source_entity, e.source_key) = (x.sys, x.ent, x.k) AND e.reason = 'erased')
                 THEN 'erased' ELSE 'not_migrated' END AS reason
       FROM x
      WHERE EXISTS (SELECT 1 FROM migration.exclusion e WHERE (e.source_system, e.source_entity, e.source_key) = (x.sys, x.ent, x.k) AND e.reason = 'erased')
         OR (NOT EXISTS (SELECT 1 FROM migration.lineage l WHERE (l.source_system, l.source_entity, l.source_key) = (x.sys, x.ent, x.k))
             AND (EXISTS (SELECT 1 FROM migration.quarantine q WHERE (q.source_system, q.source_entity, q.source_key) = (x.sys, x.ent, x.k))
                  OR EXISTS (SELECT 1 FROM migration.exclusion e WHERE (e.source_system, e.source_entity, e.source_key) = (x.sys, x.ent, x.k) AND e.reason = 'retention_expired')))`,
    [identities],
  );
  return new Map(rows.map((r) => [r.identity, r.reason]));
}

async function sarParity(
  c: pg.Client,
  found: string[],
  request: SarDocument['request'],
  p: NonNullable<SubjectAccessOptions['parity']>,
): Promise<SarParity> {
  const own = !('oracle' in p);
  const oracle = 'oracle' in p ? p.oracle : await buildOracle({ crisSource: p.crisSource, crimintSource: p.crimintSource, sampling: { size: 1, replayedPerCapability: 0 } });
  let legacy: Set<string>;
  try {
    legacy = new Set(oracle.run('S20', request, { restricted: await readRestricted(c) }));
  } finally {
    if (own) oracle.close();
  }
  const target = new Map<string, string>();
  for (const r of await new IdentityMapper(c).map(found)) target.set(r.identity, r.targetId);
  const missingIds = [...legacy].filter((i) => !target.has(i)).sort();
  const expected = missingIds.map(expectedTargetId);
  const erased = await erasedIds(c, expected.filter((x) => UUID_RE.test(x)));
  const why = await whyNotInTarget(c, missingIds);
  const missing: SarParityRecord[] = missingIds.map((identity, i) => ({
    identity,
    targetId: expected[i]!,
    // erased: by its erasure token, or by the exclusion an erasure records
    reason: erased.has(expected[i]!) ? 'erased' : why.get(identity) ?? 'not_found',
  }));
  // a matched person was erased: what the legacy search found through them is expectedly absent
  if (missing.some((m) => m.reason === 'erased' && PERSON_IDENTITY.test(m.identity))) {
    for (const m of missing) if (m.reason === 'not_found') m.reason = 'subject_erased';
  }
  const extra: SarParityRecord[] = [...target].filter(([i]) => !legacy.has(i)).map(([identity, targetId]) => ({ identity, targetId })).sort((a, b) => (a.identity < b.identity ? -1 : 1));
  return {
    ok: extra.length === 0 && missing.every((m) => m.reason === 'erased' || m.reason === 'subject_erased'),
    legacyCount: legacy.size,
    targetCount: target.size,
    missing,
    extra,
  };
}
