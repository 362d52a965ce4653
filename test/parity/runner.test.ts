// The parity runner against a real target database (embedded PostgreSQL, the project's
// migrations): restriction and quarantine read from it, target ids mapped through
// migration.lineage. The target adapter here is a test profile that answers from the legacy
// fixture and then deliberately loses, adds, fails or refuses, so every verdict is exercised.
// (End-to-end parity against the real SQL adapter comes with the ETL.)
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { buildOracle, type Oracle } from '../../src/parity/oracle.ts';
import { runParity, searchOne, type ParityResult } from '../../src/parity/runner.ts';
import { IdentityMapper, expectedTargetId } from '../../src/parity/lineage.ts';
import { NotSupportedError, type CapabilityId, type TargetSearchAdapter } from '../../src/parity/types.ts';
import { fixtureSources, P, E, L } from './fixture.ts';

let url: string;
let oracle: Oracle;
const QUARANTINED = 'CRIMINT:nominals.json:N0002';
const RESTRICTED = new Set([P(107), E('0600000/21')]);
const STRANGER = '00000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  url = await createTestDatabase('parity_runner');
  await migrate(url);
  oracle = await buildOracle(fixtureSources());
  const s = oracle.store;
  const rows: [string, string][] = [];
  for (let i = 0; i < s.persons.size; i++) if (s.personLive(i)) rows.push([s.persons.identity(i), 'record.person']);
  for (let i = 0; i < s.names.size; i++) {
    const a = s.names.alias.get(i);
    const p = s.names.person.get(i);
    if (a >= 0 && s.personLive(p)) rows.push([`${s.persons.identity(p)}/aliases/${a}`, 'record.person_name']);
  }
  for (let i = 0; i < s.events.size; i++) if (s.eventLive(i)) rows.push([s.events.identity(i), 'record.event']);
  for (let i = 0; i < s.locations.size; i++) if (s.locationLive(i)) rows.push([s.locations.identity(i), 'record.location']);
  for (let i = 0; i < s.objects.size; i++) if (s.objectLive(i)) rows.push([s.objects.identity(i), 'record.object']);
  const c = new pg.Client(url);
  await c.connect();
  try {
    for (const [identity, table] of rows) {
      if (identity.startsWith(QUARANTINED)) continue; // not loaded
      const [system, entity, ...rest] = identity.split(':');
      await c.query(
        `INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, source_hash, run_id)
         VALUES ($1, $2, $3, $4, $5, 'h', 1)`,
        [system, entity, rest.join(':'), table, expectedTargetId(identity)],
      );
    }
    await c.query(`INSERT INTO migration.quarantine (source_system, source_entity, source_key, reason_code, field, message, raw, run_id)
                   VALUES ('CRIMINT', 'nominals.json', 'N0002', 'invalid_value', 'dob', 'test', '{}', 1)`);
    await c.query(`INSERT INTO record.person (id, surname, dob_precision, sex, restricted, source_system) VALUES ($1, 'SMITH', 'day', 'male', true, 'CRIS')`, [expectedTargetId(P(107))]);
    await c.query(`INSERT INTO record.event (id, kind, reference, reported_at, restricted, source_system) VALUES ($1, 'crime', '0600000/21', now(), true, 'CRIS')`, [expectedTargetId(E('0600000/21'))]);
  } finally {
    await c.end();
  }
});

afterAll(async () => {
  await dropTestDatabase(url);
});

/** A target that answers as the legacy data would, then is perturbed per capability. */
function testProfile(): TargetSearchAdapter {
  return {
    name: 'test-profile',
    async search(cap: CapabilityId, params: Record<string, unknown>): Promise<string[]> {
      if (cap === 'S05') throw new NotSupportedError('S05 is not supported by test-profile');
      if (cap === 'S06' && params.tolerance === 0) throw new Error('boom');
      // what a target without the quarantined nominal (and its inline items and links) holds
      let ids = oracle.run(cap, params, { restricted: RESTRICTED, absent: new Set([QUARANTINED]) }).map(expectedTargetId);
      if (cap === 'S02') ids = ids.slice(0, -1);
      if (cap === 'S03') ids.push(STRANGER);
      if (cap === 'S07') ids.push(expectedTargetId(L(6)));
      return ids;
    },
    close: async () => {},
  };
}

describe('runParity', () => {
  let result: ParityResult;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parity-'));
    const file = path.join(dir, 'w.jsonl');
    await writeFile(file, [
      '{"capability":"S01","params":{"surname":"Nunez"},"note":"quarantined"}',
      '{"capability":"S02","params":{"surname":"Smyth"}}',
      '{"capability":"S06","params":{"surname":"Smith","birthYear":1961,"tolerance":0}}',
      '{"capability":"S06","params":{"surname":"Smith","birthYear":1961,"tolerance":1}}',
      '{"capability":"S07","params":{"postcode":"SE1"}}',
      '{"capability":"S19","params":{"reference":"0600000/21","from":"2021-01-01","to":"2022-01-01"}}',
      '{"capability":"S13","params":{"reference":"0412345/19"}}',
      '{"capability":"S17","params":{"nominal":"N0002"},"note":"quarantined-anchor"}',
    ].join('\n'));
    const progress: string[] = [];
    result = await runParity({
      ...fixtureSources(),
      targetUrl: url,
      adapter: testProfile(),
      capabilities: ['S01', 'S02', 'S03', 'S05', 'S06', 'S07', 'S17', 'S19', 'S20'],
      workloadFile: file,
      generatedPerCapability: 4,
      onProgress: (p) => progress.push(p.phase),
    });
    expect(progress).toContain('oracle-done');
    expect(progress).toContain('capability');
  });

  it('reads restriction and quarantine from the target', () => {
    expect(result.target).toEqual({ restricted: 2, notMigrated: 1 });
  });

  it('reports the workload: replayed, generated, file (other capabilities left out), invalid', () => {
    expect(result.workload.replayed).toEqual({ seen: 4, used: 1 }); // S01 OBRIEN; S09 is not checked
    expect(result.workload.generated).toBe(9 * 4);
    expect(result.workload.file).toEqual({ path: expect.stringMatching(/w\.jsonl$/), queries: 7 });
    expect(result.workload.invalidCount).toBe(2);
    const s01 = result.capabilities.find((c) => c.id === 'S01')!;
    expect(s01.byOrigin).toEqual({ replayed: 1, generated: 4, workload: 1 });
  });

  it('verdicts per capability', () => {
    const v = Object.fromEntries(result.capabilities.map((c) => [c.id, c.verdict]));
    expect(v).toEqual({ S01: 'PARITY', S02: 'DEGRADED', S03: 'DEGRADED', S05: 'LOST', S06: 'LOST', S07: 'DEGRADED', S17: 'PARITY', S19: 'PARITY', S20: 'PARITY' });
    expect(result.ok).toBe(false);
  });

  it('a quarantined record is an accounted loss, visible per capability', () => {
    const s01 = result.capabilities.find((c) => c.id === 'S01')!;
    expect(s01.notMigrated).toBe(1);
    expect(s01.notMigratedExamples).toEqual([{ identity: QUARANTINED, description: expect.stringMatching(/^person NUNEZ JOSELUIS/) }]);
    expect(s01.recall).toEqual({ mean: 1, worst: 1 });
  });

  it('records found only through a quarantined record are accounted too', () => {
    // S17 on N0002: IR/2017/0000002 is migrated, but its link to N0002 is not
    const s17 = result.capabilities.find((c) => c.id === 'S17')!;
    expect(s17.notMigratedExamples.map((e) => e.identity)).toContain(E('IR/2017/0000002'));
    expect(s17.recall.worst).toBe(1);
  });

  it('worked examples: lost records, extra records (mapped or without lineage)', () => {
    const s02 = result.capabilities.find((c) => c.id === 'S02')!;
    expect(s02.examples.length).toBeGreaterThan(0);
    expect(s02.examples.every((e) => e.kind === 'lost')).toBe(true);
    expect(s02.recall.worst).toBeLessThan(1);
    const s07 = result.capabilities.find((c) => c.id === 'S07')!;
    const extra = s07.examples.find((e) => e.kind === 'extra')!;
    expect(extra).toMatchObject({ identity: L(6), targetId: expectedTargetId(L(6)), description: 'location, postcode none/invalid, town croydon' });
    expect(s07.precision).toBeLessThan(1);
    expect(s07.volumeRatio).toBeGreaterThan(1);
    const s03 = result.capabilities.find((c) => c.id === 'S03')!;
    expect(s03.examples.find((e) => e.kind === 'extra')).toMatchObject({ identity: `target:${STRANGER}`, description: 'not a legacy record' });
  });

  it('LOST: not supported, or failing calls', () => {
    const s05 = result.capabilities.find((c) => c.id === 'S05')!;
    expect(s05.errors).toEqual([expect.objectContaining({ message: 'S05 is not supported by test-profile' })]);
    const s06 = result.capabilities.find((c) => c.id === 'S06')!;
    expect(s06.errors.map((e) => e.message)).toContain('boom');
    expect(s06.warnings[0]).toMatch(/target calls failed/);
  });

  it('S19 maps audit ids and finds entries about a restricted event', () => {
    const s19 = result.capabilities.find((c) => c.id === 'S19')!;
    expect(s19.oracleResults).toBeGreaterThan(0);
    expect(s19.recall.worst).toBe(1);
  });

  it('oracle statistics', () => {
    expect(result.oracle.records['CRIS:NOMINAL']).toBe(9);
    expect(result.oracle.peakRssMb).toBeGreaterThan(0);
    expect(result.adapter).toBe('test-profile');
  });
});

describe('searchOne', () => {
  it('shows the records of each side, with legacy identity and target id', async () => {
    const r = await searchOne({ capability: 'S07', params: { postcode: 'SE1 9' }, side: 'both', oracle, targetUrl: url, adapter: testProfile() });
    expect(r.legacy).toMatchObject({ count: 3 });
    expect(r.target).toMatchObject({ count: 4 });
    const sides = Object.fromEntries(r.records.map((x) => [x.identity, x.side]));
    expect(sides).toEqual({ [L(1)]: 'both', [L(3)]: 'both', [L('N0001/addresses/0')]: 'both', [L(6)]: 'target' });
    expect(r.records.find((x) => x.identity === L(1))!.targetId).toBe(expectedTargetId(L(1)));
  });
  it('legacy side only, restriction read from the target', async () => {
    const r = await searchOne({ capability: 'S01', params: { surname: 'smith' }, side: 'legacy', oracle, targetUrl: url });
    expect(r.records.map((x) => [x.identity, x.side])).toEqual([[P('N0004'), 'legacy']]);
    expect(r.target).toBeNull();
  });
  it('marks legacy results the target cannot have (not migrated)', async () => {
    const r = await searchOne({ capability: 'S17', params: { nominal: 'N0002' }, side: 'both', oracle, targetUrl: url, adapter: testProfile() });
    expect(r.records).toEqual([expect.objectContaining({ identity: E('IR/2017/0000002'), side: 'legacy', notMigrated: true })]);
  });
  it('an unsupported capability is reported, not thrown', async () => {
    const r = await searchOne({ capability: 'S05', params: { minAge: 1, maxAge: 2, onDate: '2020-01-01' }, side: 'target', targetUrl: url, adapter: testProfile() });
    expect(r.target).toMatchObject({ notSupported: true, error: 'S05 is not supported by test-profile' });
  });
  it('invalid params are rejected before any search', async () => {
    await expect(searchOne({ capability: 'S07', params: { postcode: '??' }, side: 'legacy', oracle })).rejects.toThrow(/S07 params: postcode/);
  });
});

describe('IdentityMapper', () => {
  it('maps target ids through lineage in the order given: upper-case uuids, no lineage, audit ids, other ids, repeats', async () => {
    const c = new pg.Client(url);
    await c.connect();
    try {
      const person = P(101);
      const event = E('0600000/21');
      const pid = expectedTargetId(person);
      const ids = [pid, expectedTargetId(event).toUpperCase(), STRANGER, 'audit:CRIS:3000000001', 'audit:RMS:1', 'not-a-uuid', pid];
      const mapper = new IdentityMapper(c, 1); // a cache of one: the second call finds the first id there, asks for the rest
      for (let round = 0; round < 2; round++) {
        expect(await mapper.map(ids)).toEqual([
          { identity: person, targetId: pid },
          { identity: event, targetId: ids[1] },
          { identity: `target:${STRANGER}`, targetId: STRANGER },
          { identity: 'CRIS:AUDIT_TRAIL:3000000001', targetId: 'audit:CRIS:3000000001' },
          { identity: 'target:audit:RMS:1', targetId: 'audit:RMS:1' },
          { identity: 'target:not-a-uuid', targetId: 'not-a-uuid' },
        ]);
      }
      expect(await mapper.map([])).toEqual([]);
      // every loaded record at once, in an order lineage does not keep: each answer stays with its id
      const { rows } = await c.query<{ identity: string; id: string }>(
        `SELECT source_system || ':' || source_entity || ':' || source_key AS identity, target_id::text AS id FROM migration.lineage ORDER BY md5(source_key) DESC`,
      );
      expect(rows.length).toBeGreaterThan(20);
      expect(await new IdentityMapper(c, 0).map(rows.map((r) => r.id))).toEqual(rows.map((r) => ({ identity: r.identity, targetId: r.id })));
    } finally {
      await c.end();
    }
  });
});
