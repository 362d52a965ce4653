// THE central test of the delta cutover: a full load of the original extract followed by a
// delta of the legacy changes gives the same target as a fresh full load of the changed extract.
import { describe, it, expect } from 'vitest';
import { freshTarget, migrateAll, query } from '../helpers/extract.ts';
import { runDeltas } from '../../src/delta/index.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { deltaDigest, loadThenChange } from './helpers.ts';

const SEEDS = [11, 12, 13];

describe.each(SEEDS)('full load + delta = full load of the changed extract (seed %i)', (seed) => {
  it('gives an identical target, and a second delta changes nothing', async () => {
    const x = await loadThenChange(`eq${seed}`, { scale: 150, seed, fraction: 0.05 });
    const fresh = await freshTarget(x.e, `eq${seed}_fresh`);
    try {
      const original = await deltaDigest(x.loaded.databaseUrl);
      const deltas = await runDeltas({ ...x.changed, databaseUrl: x.loaded.databaseUrl }, ['cris', 'crimint'], { batchSize: 50, progress: false });
      expect(deltas.map((d) => d.status)).toEqual(['completed', 'completed']);
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
      const again = await runDeltas({ ...x.changed, databaseUrl: x.loaded.databaseUrl }, ['cris', 'crimint'], { batchSize: 50, progress: false });
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
