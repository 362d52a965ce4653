// THE central test of the delta cutover: a full load of the original extract followed by a
// delta of the legacy changes gives the same target as a fresh full load of the changed extract.
import { describe, it, expect } from 'vitest';
import { freshTarget, migrateAll, query } from '../helpers/extract.ts';
import { eachPipeline, runDelta, runDeltas, type DeltaOptions } from '../../src/delta/index.ts';
import type { Connections } from '../../src/db/config.ts';
import type { Source } from '../../src/sources/types.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { deltaDigest, loadThenChange } from './helpers.ts';

/** The source without its own hashes (Source.keyHashes): every record is read and hashed here, as for a source whose server cannot. */
function withoutServerHashes(source: Source): Source {
  return new Proxy(source, { get: (t, p) => (p === 'keyHashes' ? undefined : typeof Reflect.get(t, p) === 'function' ? (Reflect.get(t, p) as (...a: unknown[]) => unknown).bind(t) : Reflect.get(t, p)) });
}

/** The deltas of both pipelines; `inNode`: CRIS compared without the server's hashes. */
function deltasOf(c: Connections, inNode: boolean, opts: DeltaOptions) {
  if (!inNode) return runDeltas(c, ['cris', 'crimint'], opts);
  return eachPipeline(c, ['cris', 'crimint'], undefined, (def, source, pool) => runDelta(def, withoutServerHashes(source), pool, { ...opts, recordOptions: { crimintDir: c.crimintDir } }));
}

// the CRIS stand-in hashes its own records (the servers narrow the keys to compare); seed 11 also
// runs with every record read and hashed here, as for a source that cannot (SQL Server)
const CASES: Array<[number, string, boolean]> = [[11, 'keys narrowed by the servers', false], [12, 'keys narrowed by the servers', false], [13, 'keys narrowed by the servers', false], [11, 'every record compared here', true]];

describe.each(CASES)('full load + delta = full load of the changed extract (seed %i, %s)', (seed, _how, inNode) => {
  it('gives an identical target, and a second delta changes nothing', async () => {
    const x = await loadThenChange(`eq${seed}${inNode ? 'n' : ''}`, { scale: 150, seed, fraction: 0.05 });
    const fresh = await freshTarget(x.e, `eq${seed}${inNode ? 'n' : ''}_fresh`);
    try {
      const original = await deltaDigest(x.loaded.databaseUrl);
      const deltas = await deltasOf({ ...x.changed, databaseUrl: x.loaded.databaseUrl }, inNode, { batchSize: 50, progress: false });
      expect(deltas.map((d) => d.status)).toEqual(['completed', 'completed']);
      // where the records were hashed: the CRIS stand-in's server (unless told not to), the CRIMINT files here
      expect(deltas.flatMap((d) => d.steps.filter((st) => st.method === 'universal').map((st) => `${st.step} ${st.hashedBy}`))).toEqual([
        ...['ADDRESS', 'VEHICLE', 'NOMINAL', 'CRIME_REPORT', 'CRIME_NOMINAL', 'CRIME_VEHICLE'].map((e) => `CRIS:${e} ${inNode ? 'cutover' : 'source'}`),
        'CRIMINT:nominals.json cutover', 'CRIMINT:intel_reports.json cutover']);
      await migrateAll({ ...x.changed, databaseUrl: fresh.databaseUrl }, { batchSize: 200 });

      const expected = await deltaDigest(fresh.databaseUrl);
      const actual = await deltaDigest(x.loaded.databaseUrl);
      expect(actual).toEqual(expected);
      // the changes touched every part of the target the comparison covers
      for (const part of ['person', 'event', 'event_person', 'lineage', 'quarantine', 'exclusion', 'orphan', 'legacy_audit']) expect(original[part], part).not.toBe(expected[part]);

      // every kind of change the legacy side made was brought over
      const kinds = { ...deltas[0]!.changes };
      for (const [k, v] of Object.entries(deltas[1]!.changes)) kinds[k] = (kinds[k] ?? 0) + v;
      for (const k of ['insert', 'update', 'delete', 'flip_deleted', 'flip_live', 'quarantined', 'resolved', 'dependent', 'audit']) expect(kinds[k], k).toBeGreaterThan(0);
      // each record the delta removed is logged by the migration, and the chain still verifies
      const [{ n }] = await query<{ n: number }>(x.loaded.databaseUrl, `SELECT count(*)::int AS n FROM audit.event WHERE origin = 'MIGRATION' AND operation = 'erasure'`);
      expect(n).toBe(deltas[0]!.removed + deltas[1]!.removed);
      expect(n).toBeGreaterThan(0);
      expect((await verifyChain(x.loaded.databaseUrl)).ok).toBe(true);

      // nothing new: a second delta finds no change and writes nothing
      const before = await deltaDigest(x.loaded.databaseUrl);
      const [{ events }] = await query<{ events: number }>(x.loaded.databaseUrl, 'SELECT count(*)::int AS events FROM audit.event');
      const again = await deltasOf({ ...x.changed, databaseUrl: x.loaded.databaseUrl }, inNode, { batchSize: 50, progress: false });
      expect(again.flatMap((d) => Object.keys(d.changes))).toEqual([]);
      expect(await deltaDigest(x.loaded.databaseUrl)).toEqual(before);
      const [{ events: after }] = await query<{ events: number }>(x.loaded.databaseUrl, 'SELECT count(*)::int AS events FROM audit.event');
      expect(after).toBe(events);
    } finally {
      await fresh.dispose();
      await x.dispose();
    }
  }, 180_000);
});
