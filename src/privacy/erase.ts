// Erasure (DPA 2018 s.47(1); compliance.md "Erasure"): physical, in ONE transaction.
//
// Order of operations (all or nothing):
//  0. take the erasure/load lock exclusive (src/core/erasure-lock.ts): batches in flight finish,
//     new ones wait until this commits, then see the `erased` exclusions;
//  1. lock the person row (FOR UPDATE); unknown id → CutoverError, nothing changed (an id that
//     was erased before is named as such);
//  2. read what identifies them: id, PNC ID, CRO number, surname + DOB of the primary name and
//     of every alias; derive the salted tokens (tokens.ts, fresh random salt); refuse a
//     justification that contains any of those identifiers (it goes into the audit log, which
//     can never be altered);
//  3. delete their links: event_person, person_location, person_object (their events stay:
//     they are other people's records too);
//  4. delete the locations and objects they were linked to that no event or person links to any
//     more; shared ones stay;
//  5. delete their other names (person_name) and the person row;
//  6. delete the lineage rows of every removed record (person, names, locations, objects);
//  7. delete the control rows keyed by those legacy keys (and their inline children
//     `KEY/...`): quarantine, dq_warning, orphan (also orphans whose missing side is them),
//     exclusion, superseded; the CRIS link records that carry their key (CRIME_NOMINAL for a
//     nominal, CRIME_VEHICLE for a removed vehicle); and quarantined nominal records (same
//     system's nominal entity) whose raw content holds their PNC ID, CRO number or surname+DOB;
//  8. derived search rows: every table outside audit/migration/public with a uuid column
//     holding a removed id (foreign keys may already have cascaded), then REFRESH every
//     materialised view that depends on a changed table, in dependency order;
//  9. append ONE `erasure` event to audit.event (appendAudit: actor, justification, entity
//     person + target id, detail = erasure id and row counts only) and store the tokens with
//     that event's seq in migration.erasure_token;
// 10. COMMIT.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { connect } from '../db/pool.ts';
import { appendAudit } from '../audit/chain.ts';
import { lockOutLoading } from '../core/erasure-lock.ts';
import { ConfigError, CutoverError } from '../core/problems.ts';
import { inTransaction, lastAuditSeq, requireText, requireUrl, requireUuid } from './common.ts';
import { deriveTokens, dobForms, findTokens, insertTokens, type PersonIdentifiers } from './tokens.ts';
import { IdentifierMatcher, dateCandidates, nameCandidates } from './matcher.ts';
import { nameMatchKey } from '../transform/names.ts';

export interface EraseOptions {
  url: string;
  /** Target id of the person. */
  person: string;
  actor: string;
  justification: string;
}

export interface EraseResult {
  erasureId: string;
  person: string;
  erasedAt: string;
  /** seq of the erasure event in audit.event. */
  auditSeq: string;
  /** Rows physically removed, per table. */
  removed: Record<string, number>;
  /** What deliberately stays: events they were linked to, shared locations and objects. */
  kept: { events: number; sharedLocations: number; sharedObjects: number };
  /** Materialised views refreshed (derived search rows). */
  refreshed: string[];
  ms: number;
}

/** The POLE tables themselves: handled explicitly, never by the generic derived-row sweep. */
const CORE_TABLES = new Set([
  'record.person', 'record.person_name', 'record.location', 'record.object', 'record.event',
  'record.event_person', 'record.event_location', 'record.event_object', 'record.person_location', 'record.person_object',
]);

/** Legacy nominal entities: their quarantined records are checked for the person's identifiers. */
const PERSON_ENTITIES: Array<[string, string]> = [['CRIS', 'NOMINAL'], ['CRIMINT', 'nominals.json']];

/** CRIS link tables whose key `CRIS_NO|OTHER_ID|ROLE` carries the other record's key. */
const LINK_ENTITY: Record<string, string> = { 'CRIS:NOMINAL': 'CRIME_NOMINAL', 'CRIS:VEHICLE': 'CRIME_VEHICLE' };

type Client = pg.Client;

const count = (r: pg.QueryResult) => r.rowCount ?? 0;

/** What identifies a person: their row and each alias (record.person_name). */
interface NameRow { id: string; surname: string; date_of_birth: string | null; dob_precision: string }
interface PersonRow extends NameRow { pnc_id: string | null; cro_no: string | null }
/** A removed record's lineage: the legacy key it came from. */
interface RemovedKey { source_system: string; source_entity: string; source_key: string; target_table: string; parent_key: string | null; source_ordinal: string }
/** Rows removed, per table (the erasure event's detail). */
type Note = (table: string, n: number) => void;

export async function erase(opts: EraseOptions): Promise<EraseResult> {
  const started = performance.now();
  const url = requireUrl(opts.url);
  const id = requireUuid(opts.person, 'person');
  const actor = requireText(opts.actor, 'actor', 'who erases (s.62 logs who erased a record)');
  const justification = requireText(opts.justification, 'justification', 'why the person is erased (s.62 logs the justification)');

  const c = await connect(url);
  try {
    return await inTransaction(c, async () => {
      // 0. no batch in flight (one that read the exclusions before this commits would write the person back)
      await lockOutLoading(c);
      // 1. the person and their names, locked
      const { person, names } = await lockPerson(c, id);

      // 2. identifiers → tokens; the justification must not carry them
      const ident: PersonIdentifiers = { id, pnc_id: person.pnc_id, cro_no: person.cro_no, names: [person, ...names] };
      const erasureId = randomUUID();
      const tokens = deriveTokens(ident, erasureId);
      const matcher = new IdentifierMatcher(id, [tokens]);
      checkJustification(justification, ident, matcher);

      const removed: Record<string, number> = {};
      const note: Note = (table, n) => {
        if (n > 0) removed[table] = (removed[table] ?? 0) + n;
      };

      // 3. links (their events stay); 4. locations and objects nobody else links to
      const linked = await unlinkPerson(c, id, note);
      const places = await deleteUnshared(c, linked, note);

      // 5. names and the person
      note('record.person_name', count(await c.query('DELETE FROM record.person_name WHERE person_id = $1', [id])));
      note('record.person', count(await c.query('DELETE FROM record.person WHERE id = $1', [id])));

      // 6. lineage of every removed record
      const removedIds = [id, ...names.map((n) => n.id), ...places.locations, ...places.objects];
      const { rows: keys } = await c.query<RemovedKey>(
        'DELETE FROM migration.lineage WHERE target_id = ANY($1::uuid[]) RETURNING source_system, source_entity, source_key, target_table, parent_key, source_ordinal::text',
        [removedIds],
      );
      note('migration.lineage', keys.length);

      // 7. control rows keyed by those legacy keys; 7b. the removed records excluded as erased
      await deleteControlRows(c, keys, matcher, note);
      await excludeErased(c, keys);

      // 8. derived search rows
      const derived = await deleteDerivedRows(c, removedIds);
      for (const [t, n] of Object.entries(derived)) note(t, n);
      const refreshed = await refreshDependentViews(c, [...new Set(['migration.lineage', 'migration.quarantine', ...Object.keys(removed)])]);

      // 9. one erasure event, then the tokens
      const kept = { events: linked.events, sharedLocations: linked.locations.length - places.locations.length, sharedObjects: linked.objects.length - places.objects.length };
      await appendAudit(c, [{
        occurred_at: new Date(), actor, operation: 'erasure', justification, recipient: null,
        entity_type: 'person', entity_id: id, entity_ref: null,
        detail: { erasure_id: erasureId, removed, kept, refreshed },
        origin: 'RMS', legacy_audit_id: null,
      }]);
      tokens.auditSeq = await lastAuditSeq(c);
      const erasedAt = await insertTokens(c, tokens);
      return { erasureId, person: id, erasedAt, auditSeq: tokens.auditSeq, removed, kept, refreshed, ms: Math.round(performance.now() - started) };
    });
  } finally {
    await c.end();
  }
}

/** Step 1: the person row and their names, locked; an unknown id (or one erased before) is an error. */
async function lockPerson(c: Client, id: string): Promise<{ person: PersonRow; names: NameRow[] }> {
  const { rows: [person] } = await c.query<PersonRow>(
    `SELECT id::text, surname, date_of_birth::text AS date_of_birth, dob_precision, pnc_id, cro_no
       FROM record.person WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!person) {
    const before = await findTokens(c, id);
    if (before.length > 0) {
      throw new CutoverError(`person ${id} was already erased on ${before[0]!.erasedAt} (erasure ${before[0]!.erasureId})`, 'nothing was changed; run the residual scan to check it');
    }
    throw new CutoverError(`no person with id ${id} in record.person`, 'check the target id (cutover search S01/S20, or migration.lineage); nothing was changed');
  }
  const { rows: names } = await c.query<NameRow>(
    `SELECT id::text, surname, date_of_birth::text AS date_of_birth, dob_precision FROM record.person_name WHERE person_id = $1 ORDER BY id FOR UPDATE`,
    [id],
  );
  return { person, names };
}

/** Step 3: the person's links deleted; the events they were on (which stay) and the places and objects linked. */
async function unlinkPerson(c: Client, id: string, note: Note): Promise<{ events: number; locations: string[]; objects: string[] }> {
  const { rows: [k] } = await c.query<{ events: number; locations: string[] | null; objects: string[] | null }>(
    `SELECT (SELECT count(DISTINCT event_id) FROM record.event_person WHERE person_id = $1)::int AS events,
            (SELECT array_agg(DISTINCT location_id::text) FROM record.person_location WHERE person_id = $1) AS locations,
            (SELECT array_agg(DISTINCT object_id::text) FROM record.person_object WHERE person_id = $1) AS objects`,
    [id],
  );
  note('record.event_person', count(await c.query('DELETE FROM record.event_person WHERE person_id = $1', [id])));
  note('record.person_location', count(await c.query('DELETE FROM record.person_location WHERE person_id = $1', [id])));
  note('record.person_object', count(await c.query('DELETE FROM record.person_object WHERE person_id = $1', [id])));
  return { events: k!.events, locations: k!.locations ?? [], objects: k!.objects ?? [] };
}

/** Step 4: of the locations and objects the person was linked to, those nobody links to any more, deleted (ids). */
async function deleteUnshared(c: Client, linked: { locations: string[]; objects: string[] }, note: Note): Promise<{ locations: string[]; objects: string[] }> {
  const locations = await deleteUnlinked(c, 'location', linked.locations, note);
  const objects = await deleteUnlinked(c, 'object', linked.objects, note);
  return { locations, objects };
}

/** Of these locations (or objects), delete those no event and no person links to; the ids deleted. */
async function deleteUnlinked(c: Client, kind: 'location' | 'object', ids: string[], note: Note): Promise<string[]> {
  const { rows } = await c.query<{ id: string }>(
    `DELETE FROM record.${kind} t WHERE t.id = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM record.event_${kind} x WHERE x.${kind}_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM record.person_${kind} x WHERE x.${kind}_id = t.id)
      RETURNING id::text`,
    [ids],
  );
  note(`record.${kind}`, rows.length);
  return rows.map((r) => r.id);
}

/**
 * Step 7b: every removed legacy record (the person's, and a private address or object of its own)
 * is excluded as `erased`: a pipeline run again over the legacy extract keeps it out, and
 * reconciliation accounts for it. Key and reason only, as for legacy deletion.
 */
async function excludeErased(c: Client, keys: RemovedKey[]): Promise<void> {
  const records = keys.filter((r) => r.parent_key === null);
  await c.query(
    `INSERT INTO migration.exclusion (source_system, source_entity, source_key, reason, source_ordinal, run_id)
     SELECT s, e, k, 'erased', o, 0 FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS x(s, e, k, o)
     ON CONFLICT (source_system, source_entity, source_key) DO UPDATE SET reason = 'erased'`,
    [records.map((r) => r.source_system), records.map((r) => r.source_entity), records.map((r) => r.source_key), records.map((r) => r.source_ordinal)],
  );
}

/** The justification is stored in the audit log forever: refuse one naming the person. */
function checkJustification(text: string, p: PersonIdentifiers, matcher: IdentifierMatcher): void {
  const kinds = new Set<string>(matcher.matchRow([{ column: 'justification', value: text, type: 'text' }]).map((h) => h.kind));
  const words = nameCandidates(text, null);
  if (p.names.some((n) => words.has(nameMatchKey(n.surname)))) kinds.add('surname');
  const dates = dateCandidates(text);
  if (p.names.some((n) => dobForms(n.date_of_birth, n.dob_precision).some((f) => dates.has(f)))) kinds.add('date of birth');
  if (kinds.size > 0) {
    throw new ConfigError(
      `the justification contains the person's ${[...kinds].join(', ')}: it would be kept in the append-only audit log after the erasure`,
      'rephrase it without names, dates of birth, PNC IDs or CRO numbers (e.g. the case or request reference); nothing was changed',
    );
  }
}

async function deleteControlRows(
  c: Client,
  keys: Array<{ source_system: string; source_entity: string; source_key: string }>,
  matcher: IdentifierMatcher,
  note: Note,
): Promise<void> {
  const sys = keys.map((r) => r.source_system);
  const ent = keys.map((r) => r.source_entity);
  const key = keys.map((r) => r.source_key);
  // link records carrying a removed nominal's / vehicle's key
  const lsys: string[] = [];
  const lent: string[] = [];
  const lkey: string[] = [];
  for (const r of keys) {
    const link = LINK_ENTITY[`${r.source_system}:${r.source_entity}`];
    if (link) {
      lsys.push(r.source_system);
      lent.push(link);
      lkey.push(r.source_key);
    }
  }
  const byKey = `EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS k(s, e, key)
                  WHERE t.source_system = k.s AND t.source_entity = k.e AND (t.source_key = k.key OR starts_with(t.source_key, k.key || '/')))
             OR EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[], $6::text[]) AS k(s, e, key)
                  WHERE t.source_system = k.s AND t.source_entity = k.e AND split_part(t.source_key, '|', 2) = k.key)`;
  const args = [sys, ent, key, lsys, lent, lkey];
  for (const table of ['migration.dq_warning', 'migration.exclusion', 'migration.superseded']) {
    note(table, count(await c.query(`DELETE FROM ${table} t WHERE ${byKey}`, args)));
  }
  note('migration.orphan', count(await c.query(
    `DELETE FROM migration.orphan t WHERE ${byKey}
        OR EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS k(s, e, key)
                    WHERE t.source_system = k.s AND t.missing_entity = k.e AND t.missing_key = k.key)`,
    args,
  )));
  note('migration.quarantine', count(await c.query(`DELETE FROM migration.quarantine t WHERE ${byKey}`, args)));

  // quarantined nominal records holding their PNC ID, CRO number or surname + DOB
  const { rows } = await c.query<{ quarantine_id: string; raw: string }>(
    `SELECT quarantine_id::text, raw::text AS raw FROM migration.quarantine
      WHERE (source_system, source_entity) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        AND raw::text ~ '[0-9]/[0-9]|[0-9]{4}-[0-9]{2}-[0-9]{2}'`,
    [PERSON_ENTITIES.map((e) => e[0]), PERSON_ENTITIES.map((e) => e[1])],
  );
  const hit = rows.filter((r) => matcher.matchRow([{ column: 'raw', value: r.raw, type: 'json' }]).some((h) => h.kind !== 'id')).map((r) => r.quarantine_id);
  if (hit.length) note('migration.quarantine', count(await c.query('DELETE FROM migration.quarantine WHERE quarantine_id = ANY($1::bigint[])', [hit])));
}

/** Tables outside the POLE core and the audit/migration schemas whose uuid columns hold a removed id. */
async function deleteDerivedRows(c: Client, ids: string[]): Promise<Record<string, number>> {
  const { rows } = await c.query<{ tbl: string; col: string }>(
    `SELECT format('%I.%I', n.nspname, t.relname) AS tbl, quote_ident(a.attname) AS col
       FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE t.relkind IN ('r', 'p') AND NOT t.relispartition
        AND n.nspname NOT IN ('audit', 'migration', 'public', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%'
        AND n.nspname NOT LIKE 'pg_temp%'
        AND a.atttypid = 'uuid'::regtype
      ORDER BY 1, 2`,
  );
  const out: Record<string, number> = {};
  for (const r of rows) {
    if (CORE_TABLES.has(r.tbl)) continue;
    const n = count(await c.query(`DELETE FROM ${r.tbl} WHERE ${r.col} = ANY($1::uuid[])`, [ids]));
    if (n > 0) out[r.tbl] = (out[r.tbl] ?? 0) + n;
  }
  return out;
}

/** REFRESH every materialised view that depends (through views too) on one of the tables. */
export async function refreshDependentViews(c: Client, tables: string[]): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>(
    `WITH RECURSIVE dep(oid, depth) AS (
       SELECT DISTINCT r.ev_class, 1
         FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid IN (SELECT to_regclass(t) FROM unnest($1::text[]) AS t) AND r.ev_class <> d.refobjid
       UNION
       SELECT r.ev_class, dep.depth + 1
         FROM dep JOIN pg_depend d ON d.refobjid = dep.oid AND d.refclassid = 'pg_class'::regclass AND d.classid = 'pg_rewrite'::regclass
         JOIN pg_rewrite r ON r.oid = d.objid
        WHERE r.ev_class <> dep.oid AND dep.depth < 20)
     SELECT v.oid::regclass::text AS name FROM dep JOIN pg_class v ON v.oid = dep.oid
      WHERE v.relkind = 'm' GROUP BY v.oid ORDER BY max(dep.depth), 1`,
    [tables],
  );
  for (const r of rows) await c.query(`REFRESH MATERIALIZED VIEW ${r.name}`);
  return rows.map((r) => r.name);
}
