// The servers narrow a delta's comparison (src/delta/narrow.ts): the CRIS stand-in hashes its own
// records, the target joins the hashes with what it knows, and only the keys that differ are read.
// Each kind of difference, made on purpose in the target of an unchanged extract, must come out.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type pg from 'pg';
import { createExtract, migrateAll, query, type Extract } from '../helpers/extract.ts';
import { createPool } from '../../src/db/pool.ts';
import { narrowedState } from '../../src/delta/narrow.ts';
import { PIPELINES } from '../../pipelines/index.ts';
import { PostgresCrisSource } from '../../src/sources/postgres.ts';
import type { Mapping } from '../../src/pipeline/types.ts';

let e: Extract;
let pool: pg.Pool;
let source: PostgresCrisSource;
const mapping = (entity: string): Mapping => PIPELINES.cris!.steps.find((s) => s.mapping.entity === entity)!.mapping;

async function narrowed(entity: string, mentions?: ReadonlySet<string>) {
  const hashes = await source.keyHashes(entity);
  if (!hashes) throw new Error('the stand-in should hash its own records');
  const { present, state } = await narrowedState(pool, mapping(entity), hashes, mentions ? await source.keysMentioning(entity, mentions) : []);
  return { present: present.sort(), known: [...state.known.keys()].sort(), erased: [...state.erased].sort() };
}

const keysOf = async (sql: string, params: unknown[] = []) => (await query<{ k: string }>(e.databaseUrl, sql, params)).map((r) => r.k).sort();

beforeAll(async () => {
  e = await createExtract('narrow', { scale: 60, seed: 5 });
  await migrateAll(e, { batchSize: 100 });
  pool = createPool(e.databaseUrl, 2);
  source = new PostgresCrisSource(e.crisUrl);
}, 120_000);

afterAll(async () => {
  await source?.close();
  await pool?.end();
  await e?.dispose();
});

describe('keys narrowed by the servers', () => {
  it('an unchanged extract leaves only the excluded records (they have no hash: the exclusion rule decides)', async () => {
    for (const entity of ['ADDRESS', 'VEHICLE', 'NOMINAL', 'CRIME_REPORT', 'CRIME_NOMINAL', 'CRIME_VEHICLE']) {
      const excluded = await keysOf(`SELECT source_key AS k FROM migration.exclusion WHERE source_system = 'CRIS' AND source_entity = $1`, [entity]);
      const n = await narrowed(entity);
      expect(n.present, entity).toEqual(excluded);
      expect(n.known, entity).toEqual(excluded);
    }
    // the fixture has excluded records, and records of every entity
    expect((await narrowed('NOMINAL')).present.length).toBeGreaterThan(0);
  });

  it('finds a record whose stored hash differs, a key only the target knows, a link-only record whose link row is gone, and an erased key', async () => {
    const [addr] = await keysOf(`SELECT source_key AS k FROM migration.lineage WHERE source_system = 'CRIS' AND source_entity = 'ADDRESS' AND parent_key IS NULL ORDER BY 1 LIMIT 1`);
    await query(e.databaseUrl, `UPDATE migration.lineage SET source_hash = 'corrupt' WHERE source_system = 'CRIS' AND source_entity = 'ADDRESS' AND source_key = $1`, [addr]);
    expect((await narrowed('ADDRESS')).present).toEqual([addr]);

    await query(e.databaseUrl, `INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, parent_key, source_hash, source_ordinal, run_id, batch_id)
      SELECT source_system, source_entity, 'ghost', target_table, gen_random_uuid(), NULL, source_hash, 0, run_id, batch_id FROM migration.lineage
      WHERE source_system = 'CRIS' AND source_entity = 'VEHICLE' AND parent_key IS NULL LIMIT 1`);
    const vehicle = await narrowed('VEHICLE');
    expect(vehicle.present).toEqual([]);
    expect(vehicle.known).toEqual(['ghost']);

    const [link] = await query<{ event_id: string; person_id: string; role: string }>(e.databaseUrl, 'SELECT event_id, person_id, role FROM record.event_person ORDER BY 1, 2, 3 LIMIT 1');
    const before = await narrowed('CRIME_NOMINAL');
    await query(e.databaseUrl, 'DELETE FROM record.event_person WHERE event_id = $1 AND person_id = $2 AND role = $3', [link!.event_id, link!.person_id, link!.role]);
    const after = await narrowed('CRIME_NOMINAL');
    expect(after.present.length).toBe(before.present.length + 1);
    const [lost] = after.present.filter((k) => !before.present.includes(k));
    const [crisNo, nominal] = lost!.split('|');
    expect(await keysOf(`SELECT source_key AS k FROM migration.lineage WHERE target_id = $1 AND parent_key IS NULL`, [link!.event_id])).toEqual([crisNo]);
    expect(await keysOf(`SELECT source_key AS k FROM migration.lineage WHERE target_id = $1 AND parent_key IS NULL`, [link!.person_id])).toEqual([nominal]);

    const [erased] = await keysOf(`SELECT source_key AS k FROM migration.lineage WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' AND parent_key IS NULL ORDER BY 1 DESC LIMIT 1`);
    await query(e.databaseUrl, `INSERT INTO migration.exclusion (source_system, source_entity, source_key, reason, source_ordinal, run_id)
      SELECT 'CRIS', 'NOMINAL', $1, 'erased', 0, max(run_id) FROM migration.run`, [erased]);
    expect((await narrowed('NOMINAL')).erased).toEqual([erased]);
  });

  it('finds the records that mention a given key (the link-only records of one nominal)', async () => {
    const [nominal] = await query<{ id: string; keys: string[] }>(e.crisUrl, `SELECT nominal_id::text AS id, array_agg(rtrim(cris_no) || '|' || nominal_id || '|' || rtrim(role)) AS keys
      FROM dbo.crime_nominal GROUP BY nominal_id ORDER BY count(*) DESC, 1 LIMIT 1`);
    const plain = await narrowed('CRIME_NOMINAL');
    const mentioned = await narrowed('CRIME_NOMINAL', new Set([nominal!.id]));
    expect(nominal!.keys.length).toBeGreaterThan(1);
    expect(mentioned.present).toEqual([...new Set([...plain.present, ...nominal!.keys])].sort());
  });
});

describe('hashes read ahead', () => {
  it('a failure while the source hashes a later entity fails that step with the cause, and the next delta completes', async () => {
    const { runDelta } = await import('../../src/delta/run.ts');
    const def = PIPELINES.cris!;
    // NOMINAL's hashes are read while VEHICLE runs: they break after the first block
    const broken = new Proxy(source, {
      get(t, p) {
        if (p === 'keyHashes') {
          return async (entity: string) => {
            const rows = await t.keyHashes(entity);
            if (entity !== 'NOMINAL' || !rows) return rows;
            return (async function* () {
              for await (const c of rows) {
                yield c;
                throw new Error('connection lost while hashing');
              }
            })();
          };
        }
        const v = Reflect.get(t, p);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    await expect(runDelta(def, broken, pool, { progress: false })).rejects.toThrow(/connection lost while hashing/);
    const [failed] = await query<{ status: string; error: string }>(e.databaseUrl, `SELECT status, error FROM migration.run WHERE options->>'delta' = 'true' ORDER BY run_id DESC LIMIT 1`);
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/connection lost/) });
    // the source's clients all came back
    expect(source.pool.totalCount - source.pool.idleCount).toBe(0);
    const again = await runDelta(def, source, pool, { progress: false });
    expect(again.status).toBe('completed');
    expect(again.resumed).toBe(true);
  }, 60_000);
});
