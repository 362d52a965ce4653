// An erasure and a loader run started together, many times, with random delays: the erased
// person never comes back and the residual scan stays clean. (A batch reads the erased-record
// exclusions before it merges; without the shared erasure/load lock an erasure committing in
// between let the person be written back.)
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import { definePipeline } from '../../src/pipeline/define.ts';
import { mapping as nominal } from '../../mappings/cris-nominal.ts';
import { erase, residualScan } from '../../src/privacy/index.ts';
import { targetId } from '../../src/core/ids.ts';
import { memorySource } from '../parity/fixture.ts';

const PEOPLE = 200;
const ROUNDS = 16;
const letters = (n: number) => [...String(n).padStart(4, '0')].map((d) => 'ABCDEFGHIJ'[Number(d)]).join('');
const nominals = Array.from({ length: PEOPLE }, (_, i) => ({
  nominal_id: 5000 + i, surname: `RACE${letters(i)}`, forenames: 'ALEX', dob: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10} 00:00:00`,
  sex: 'M', ethnic_code: 'IC1', pnc_id: null, cro_no: null, address_id: null, deleted: null,
}));
const source = memorySource('CRIS', { NOMINAL: nominals });
// one batch per run: the whole run is one merge, the widest window for an erasure to land in
const pipeline = definePipeline({ name: 'race', system: 'CRIS', openSource: () => source, steps: [{ mapping: nominal }], batchSize: PEOPLE, concurrency: 1 });

/** A seeded generator: the delays differ every round, the same on every run of the test. */
function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('erasure and loading are serialised', () => {
  let url: string;
  let pool: pg.Pool;
  beforeAll(async () => {
    url = await createTestDatabase('erase_race');
    await migrate(url);
    pool = new pg.Pool({ connectionString: url, max: 4 });
    await runPipeline(pipeline, source, pool, { progress: false });
  });
  afterAll(async () => {
    await pool?.end();
    if (url) await dropTestDatabase(url);
  });

  it(`${ROUNDS} rounds of an erasure racing a full re-run: the erased person never comes back`, async () => {
    const random = rng(20);
    // calibrate the delays to a run's length, so the erasure lands anywhere in it
    const t0 = performance.now();
    await runPipeline(pipeline, source, pool, { restart: true, progress: false });
    const runMs = performance.now() - t0;
    const back: string[] = [];
    const erased: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const key = String(5000 + round * 7);
      const person = targetId('CRIS', 'NOMINAL', key);
      const [, run] = await Promise.all([
        (async () => {
          await sleep(random() * runMs);
          await erase({ url, person, actor: 'DPO1', justification: `erasure request ${round}` });
          erased.push(person);
        })(),
        (async () => {
          await sleep(random() * runMs * 0.5);
          return runPipeline(pipeline, source, pool, { restart: true, progress: false });
        })(),
      ]);
      expect(run.status).toBe('completed');
      const { rows: [found] } = await pool.query<{ person: number; lineage: number }>(
        `SELECT (SELECT count(*) FROM record.person WHERE id = $1)::int AS person,
                (SELECT count(*) FROM migration.lineage WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' AND source_key = $2)::int AS lineage`,
        [person, key],
      );
      if (found!.person || found!.lineage) back.push(`round ${round}: ${key} (person rows ${found!.person}, lineage ${found!.lineage})`);
      else {
        const scan = await residualScan({ url, person });
        expect(scan.hitCount, `round ${round}: ${JSON.stringify(scan.hits.slice(0, 3))}`).toBe(0);
        expect(scan.ok).toBe(true);
      }
    }
    expect(back, `erased people written back by the racing run: ${back.join('; ')}`).toEqual([]);

    // and a later run still keeps every one of them out
    await runPipeline(pipeline, source, pool, { restart: true, progress: false });
    const { rows: [{ n }] } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM record.person WHERE id = ANY($1::uuid[])', [erased]);
    expect(n).toBe(0);
    expect(erased).toHaveLength(ROUNDS);
  });
});
