import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { erase, residualScan } from '../../src/privacy/index.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { ConfigError, CutoverError } from '../../src/core/problems.ts';
import { dropTestDatabase } from '../helpers/db.ts';
import { CRO, PNC, PNC_SHORT, client, ids, loadFixture, migratedDatabase, tableCounts } from './fixture.ts';

const ACTOR = 'DPO0001';
const WHY = 'Erasure request ER-2024-017 upheld by the DPO';

async function one<T = Record<string, unknown>>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const c = await client(url);
  try {
    return (await c.query(sql, values)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('erase', () => {
  let url: string;
  beforeAll(async () => {
    url = await migratedDatabase('privacy_erase');
    await loadFixture(url);
    // a derived search table and a materialised view (what a later search migration might add)
    await one(url, `CREATE MATERIALIZED VIEW record.person_search AS SELECT id, upper(surname) AS surname_key, date_of_birth FROM record.person`);
    await one(url, `CREATE TABLE record.name_index (person_id uuid, name_key text, PRIMARY KEY (person_id, name_key))`);
    await one(url, `INSERT INTO record.name_index VALUES ($1, 'OBRIEN'), ($1, 'BRYAN'), ($2, 'SMITH')`, [ids.P, ids.Q]);
  });
  afterAll(async () => {
    if (url) await dropTestDatabase(url);
  });

  it('refuses an unknown person and changes nothing', async () => {
    const before = await tableCounts(url);
    await expect(erase({ url, person: '00000000-0000-4000-8000-000000000000', actor: ACTOR, justification: WHY })).rejects.toThrow(/no person with id 00000000-0000-4000-8000-000000000000/);
    await expect(erase({ url, person: '00000000-0000-4000-8000-000000000000', actor: ACTOR, justification: WHY })).rejects.toBeInstanceOf(CutoverError);
    expect(await tableCounts(url)).toEqual(before);
  });

  it('refuses missing actor or justification, and a justification naming the person', async () => {
    const before = await tableCounts(url);
    await expect(erase({ url, person: ids.P, actor: '', justification: WHY })).rejects.toBeInstanceOf(ConfigError);
    await expect(erase({ url, person: ids.P, actor: ACTOR, justification: '  ' })).rejects.toBeInstanceOf(ConfigError);
    await expect(erase({ url, person: 'not-a-uuid', actor: ACTOR, justification: WHY })).rejects.toBeInstanceOf(ConfigError);
    await expect(erase({ url, person: ids.P, actor: ACTOR, justification: `request from Mr O'Brien` })).rejects.toThrow(/surname/);
    await expect(erase({ url, person: ids.P, actor: ACTOR, justification: `request re ${PNC}` })).rejects.toThrow(/pnc/);
    expect(await tableCounts(url)).toEqual(before);
  });

  it('is all or nothing: a failure late in the erasure leaves everything as it was', async () => {
    const before = await tableCounts(url);
    await one(url, `CREATE FUNCTION migration.fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await one(url, `CREATE TRIGGER fail_superseded BEFORE DELETE ON migration.superseded FOR EACH ROW EXECUTE FUNCTION migration.fail()`);
    try {
      await expect(erase({ url, person: ids.P, actor: ACTOR, justification: WHY })).rejects.toThrow(/injected failure/);
    } finally {
      await one(url, `DROP TRIGGER fail_superseded ON migration.superseded; DROP FUNCTION migration.fail()`);
    }
    expect(await tableCounts(url)).toEqual(before);
  });

  it('physically removes the person, names, links, private locations/objects, lineage and control rows in one transaction', async () => {
    const r = await erase({ url, person: ids.P, actor: ACTOR, justification: WHY });
    expect(r.person).toBe(ids.P);
    expect(r.removed).toMatchObject({
      'record.person': 1,
      'record.person_name': 1,
      'record.event_person': 2,
      'record.person_location': 2,
      'record.person_object': 3,
      'record.location': 1, // L2 only: L1 is shared with Q
      'record.object': 2, // V1 and T1: V2 is linked to E1
      'migration.lineage': 5, // P, alias, L2, V1, T1
      'migration.quarantine': 1, // the duplicate holding P's PNC
      'migration.dq_warning': 1,
      'migration.orphan': 1,
      'migration.superseded': 1,
      'record.name_index': 2,
    });
    expect(r.kept).toEqual({ events: 2, sharedLocations: 1, sharedObjects: 1 });
    expect(r.refreshed).toEqual(['record.person_search']);

    const gone = [ids.P, ids.PA, ids.L2, ids.V1, ids.T1];
    expect(await one(url, 'SELECT id FROM record.person WHERE id = $1', [ids.P])).toEqual([]);
    expect(await one(url, 'SELECT id FROM record.person_name WHERE person_id = $1', [ids.P])).toEqual([]);
    expect(await one(url, 'SELECT id FROM record.location WHERE id = ANY($1::uuid[])', [gone])).toEqual([]);
    expect(await one(url, 'SELECT id FROM record.object WHERE id = ANY($1::uuid[])', [gone])).toEqual([]);
    expect(await one(url, 'SELECT * FROM migration.lineage WHERE target_id = ANY($1::uuid[])', [gone])).toEqual([]);
    expect(await one(url, `SELECT * FROM migration.quarantine WHERE source_key = 'N0009999'`)).toEqual([]);
    for (const t of ['event_person', 'person_location', 'person_object']) {
      expect(await one(url, `SELECT * FROM record.${t} WHERE person_id = $1`, [ids.P])).toEqual([]);
    }
    // what stays: Q, the shared address, the event-linked vehicle, both events, Q's control rows
    expect((await one(url, 'SELECT id::text FROM record.person')).map((x) => x.id)).toEqual([ids.Q]);
    expect((await one(url, 'SELECT id::text FROM record.location')).map((x) => x.id)).toEqual([ids.L1]);
    expect((await one(url, 'SELECT id::text FROM record.object')).map((x) => x.id)).toEqual([ids.V2]);
    expect(await one(url, 'SELECT count(*)::int AS n FROM record.event')).toEqual([{ n: 2 }]);
    expect(await one(url, 'SELECT count(*)::int AS n FROM record.person_location WHERE person_id = $1', [ids.Q])).toEqual([{ n: 1 }]);
    expect(await one(url, 'SELECT count(*)::int AS n FROM migration.lineage')).toEqual([{ n: 5 }]);
    expect((await one(url, 'SELECT source_key FROM migration.quarantine ORDER BY 1')).map((x) => x.source_key)).toEqual(['0999999/19|2002|VI', '3003']);
    expect(await one(url, 'SELECT count(*)::int AS n FROM migration.dq_warning')).toEqual([{ n: 1 }]);
    expect(await one(url, 'SELECT count(*)::int AS n FROM migration.orphan')).toEqual([{ n: 1 }]);
    expect(await one(url, 'SELECT count(*)::int AS n FROM migration.superseded')).toEqual([{ n: 1 }]);
    expect((await one(url, 'SELECT id::text FROM record.person_search')).map((x) => x.id)).toEqual([ids.Q]);

    // one erasure event, naming actor, justification and target id, without the erased content
    const events = await one<Record<string, unknown>>(url, `SELECT seq::text, actor, justification, entity_type, entity_id::text, entity_ref, detail, origin FROM audit.event WHERE operation = 'erasure'`);
    expect(events).toHaveLength(1);
    const ev = events[0]!;
    expect(ev).toMatchObject({ seq: r.auditSeq, actor: ACTOR, justification: WHY, entity_type: 'person', entity_id: ids.P, entity_ref: null, origin: 'RMS' });
    const text = JSON.stringify(ev).toUpperCase();
    for (const s of ["O'BRIEN", 'OBRIEN', 'BRYAN', 'SEAN', '1985-03-12', '12/03/1985', PNC, CRO, 'N0001001', 'SE1 9GF', 'AB12CDE', '+447700900123']) {
      expect(text).not.toContain(s.toUpperCase());
    }
    expect(await verifyChain(url)).toMatchObject({ ok: true, firstBroken: null });

    // the tokens table holds hashes only
    const tok = await one(url, 'SELECT * FROM migration.erasure_token');
    expect(tok).toHaveLength(1);
    expect(JSON.stringify(tok)).not.toContain('0012345');

    // residual scan: clean; the audit log's own mentions are reported apart
    const scan = await residualScan({ url, person: ids.P });
    expect(scan.hits).toEqual([]);
    expect(scan.ok).toBe(true);
    expect(scan.erasures.map((e) => e.erasureId)).toEqual([r.erasureId]);
    expect(scan.retainedInAuditLog.map((h) => [h.column, h.kind])).toEqual([['entity_id', 'id'], ['entity_id', 'id']]);
    expect(scan.retainedInAuditLog.at(-1)!.seq).toBe(r.auditSeq);
    expect(scan.coverage.perTable.map((t) => t.table)).toEqual(expect.arrayContaining([
      'audit.event', 'migration.erasure_token', 'migration.lineage', 'migration.quarantine', 'record.event', 'record.name_index', 'record.person', 'record.person_search',
    ]));

    // a second erasure of the same person is refused and names the first
    await expect(erase({ url, person: ids.P, actor: ACTOR, justification: WHY })).rejects.toThrow(/already erased/);
  });

  it('erases a CRIS nominal with the CRIS link records that carry its key', async () => {
    const r = await erase({ url, person: ids.Q, actor: ACTOR, justification: 'ER-2024-018' });
    expect(r.removed).toEqual({
      'record.person': 1, 'record.event_person': 1, 'record.person_location': 1, 'record.name_index': 1,
      'migration.lineage': 1, 'migration.quarantine': 1, 'migration.orphan': 1, 'migration.dq_warning': 1, 'migration.superseded': 1,
    });
    expect(r.kept).toEqual({ events: 1, sharedLocations: 1, sharedObjects: 0 }); // L1 is still where E1 occurred
    for (const t of ['quarantine', 'orphan', 'dq_warning', 'superseded']) {
      expect(await one(url, `SELECT count(*)::int AS n FROM migration.${t}`)).toEqual([{ n: t === 'quarantine' ? 1 : 0 }]); // NOMINAL 3003 stays
    }
    expect((await residualScan({ url, person: ids.Q })).ok).toBe(true);
    expect((await residualScan({ url, person: ids.P })).ok).toBe(true);
    expect(await one(url, `SELECT count(*)::int AS n FROM audit.event WHERE operation = 'erasure'`)).toEqual([{ n: 2 }]);
  });

  it('refuses a scan of a person that was never erased', async () => {
    await expect(residualScan({ url, person: ids.L1 })).rejects.toThrow(/no erasure of/);
  });
});

describe('residual scan finds what erasure cannot remove', () => {
  let url: string;
  beforeAll(async () => {
    url = await migratedDatabase('privacy_scan');
    await loadFixture(url);
    // copies of P's identifiers in other people's records and in a table added later
    await one(url, `UPDATE record.event SET narrative = narrative || $2 WHERE id = $1`, [ids.E1, ` Suspect gave PNC ${PNC_SHORT} on arrest.`]);
    await one(url, `UPDATE record.event SET narrative = narrative || $2 WHERE id = $1`, [ids.E2, ` Associate of Van Der Berg. Subject O'BRIEN (born 12/03/1985) seen nearby.`]);
    await one(url, `UPDATE record.person SET forenames = 'Jane ' || $2 WHERE id = $1`, [ids.Q, ids.P.toUpperCase()]);
    await one(url, `CREATE TABLE record.sidecar (k int PRIMARY KEY, surname text, date_of_birth date)`); // a namesake-like pair in separate columns
    await one(url, `INSERT INTO record.sidecar VALUES (1, 'O''BRIEN', '1985-03-12'), (2, 'O''BRIEN', '1985-03-13')`);
    await one(url, `CREATE TABLE migration.case_note (note_id int PRIMARY KEY, body jsonb)`);
    await one(url, `INSERT INTO migration.case_note VALUES (1, $1), (2, $2), (3, $3)`, [
      JSON.stringify({ cro: CRO.toLowerCase() }),
      JSON.stringify({ name: 'Bryan', dob: '1985-03-12' }), // the alias + the primary DOB (the alias has none of its own)
      JSON.stringify({ name: "O'Brien", dob: '1986-03-12', pnc: PNC.replace(/.$/, 'A') }), // another DOB, a PNC with a wrong check letter
    ]);
    await erase({ url, person: ids.P, actor: ACTOR, justification: WHY });
  });
  afterAll(async () => {
    if (url) await dropTestDatabase(url);
  });

  it('fails and names table, column, key and identifier kind', async () => {
    const scan = await residualScan({ url, person: ids.P });
    expect(scan.ok).toBe(false);
    const hits = scan.hits.map((h) => ({ ...h }));
    expect(hits).toEqual(expect.arrayContaining([
      { table: 'record.event', column: 'narrative', key: { id: ids.E1 }, kind: 'pnc' },
      { table: 'record.event', column: 'narrative', key: { id: ids.E2 }, kind: 'surname+dob' },
      { table: 'record.person', column: 'forenames', key: { id: ids.Q }, kind: 'id' },
      { table: 'migration.case_note', column: 'body', key: { note_id: '1' }, kind: 'cro' },
      { table: 'migration.case_note', column: 'body', key: { note_id: '2' }, kind: 'surname+dob' },
    ]));
    // exactly those rows (a derived column of the same row, e.g. record.event.search_tokens, may be named too)
    const rowKinds = (hits: typeof scan.hits) => [...new Set(hits.map((h) => `${h.table} ${JSON.stringify(h.key)} ${h.kind}`))].sort();
    expect(rowKinds(scan.hits)).toEqual(rowKinds([
      { table: 'record.event', column: 'narrative', key: { id: ids.E1 }, kind: 'pnc' },
      { table: 'record.event', column: 'narrative', key: { id: ids.E2 }, kind: 'surname+dob' },
      { table: 'record.person', column: 'forenames', key: { id: ids.Q }, kind: 'id' },
      { table: 'migration.case_note', column: 'body', key: { note_id: '1' }, kind: 'cro' },
      { table: 'migration.case_note', column: 'body', key: { note_id: '2' }, kind: 'surname+dob' },
    ]));
    expect(scan.hitCount).toBe(scan.hits.length);
    expect(scan.coverage.perTable.find((t) => t.table === 'migration.case_note')).toMatchObject({ columns: ['body'] });
    expect(scan.coverage.perTable.find((t) => t.table === 'record.sidecar')).toMatchObject({ columns: ['surname'] });
  });

  it('with dateColumns, a surname with a DOB-named date column of the same row is a hit', async () => {
    const scan = await residualScan({ url, person: ids.P, dateColumns: true, concurrency: 1 });
    const plain = await residualScan({ url, person: ids.P });
    expect(scan.hits.length).toBe(plain.hits.length + 1);
    expect(scan.hits).toContainEqual({ table: 'record.sidecar', column: 'surname', key: { k: '1' }, kind: 'surname+dob', dobColumn: 'date_of_birth' });
  });

  it('names a row of a table without a key by its ctid, and finds every hit of a table scanned in page ranges', async () => {
    // a table with no key, spanning several pages, the CRO number planted in its first, middle and last rows
    await one(url, `CREATE TABLE migration.keyless_note (body text)`);
    await one(url, `INSERT INTO migration.keyless_note SELECT CASE WHEN i IN (1, 1500, 3000) THEN 'ref ' || $1 ELSE repeat('x', 60) || i END FROM generate_series(1, 3000) AS i`, [CRO]);
    try {
      const planted = await one<{ ctid: string }>(url, `SELECT ctid::text FROM migration.keyless_note WHERE body LIKE 'ref %' ORDER BY ctid`);
      const [{ pages }] = await one<{ pages: number }>(url, `SELECT (pg_relation_size('migration.keyless_note') / current_setting('block_size')::int)::int AS pages`);
      expect(pages).toBeGreaterThan(3);
      const found = (scan: Awaited<ReturnType<typeof residualScan>>) => scan.hits.filter((h) => h.table === 'migration.keyless_note').map((h) => h.key).sort((a, b) => String(a.ctid).localeCompare(String(b.ctid)));
      const whole = await residualScan({ url, person: ids.P });
      const inRanges = await residualScan({ url, person: ids.P, pagesPerPiece: 1 });
      const expected = planted.map((r) => ({ ctid: r.ctid })).sort((a, b) => a.ctid.localeCompare(b.ctid));
      expect(found(whole)).toEqual(expected);
      expect(found(inRanges)).toEqual(expected);
      expect(inRanges.coverage.perTable.find((t) => t.table === 'migration.keyless_note')).toMatchObject({ columns: ['body'], rowsExamined: 3, hits: 3 });
    } finally {
      await one(url, `DROP TABLE migration.keyless_note`);
    }
  });
});
