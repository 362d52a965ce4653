// --dry-run writes nothing; --limit stops a step resumably; a malformed file stops its step with
// the file and byte offset, and what was committed before stays.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createExtract, freshTarget, migrateAll, query, type Extract } from '../helpers/extract.ts';
import { runPipelines } from '../../src/pipeline/index.ts';

let e: Extract;
beforeAll(async () => {
  e = await createExtract('opts', { scale: 200, seed: 21, rates: { duplicateKey: 0.1 } });
});
afterAll(async () => e?.dispose());

describe('run options', () => {
  it('--dry-run reads, maps and validates, and writes nothing', async () => {
    const t = await freshTarget(e, 'opts_dry');
    try {
      const dry = await migrateAll(t, { dryRun: true });
      expect(dry.every((r) => r.status === 'dry_run')).toBe(true);
      const nominal = dry[0]!.steps.find((s) => s.step === 'CRIS:NOMINAL')!;
      expect(nominal.read).toBe(e.generated.cris.NOMINAL);
      expect(nominal.loaded + nominal.quarantined + nominal.excluded + nominal.superseded).toBe(nominal.read);
      const [{ n }] = await query<{ n: number }>(t.databaseUrl, `SELECT (SELECT count(*) FROM record.person) + (SELECT count(*) FROM migration.run) + (SELECT count(*) FROM audit.event) AS n`);
      expect(Number(n)).toBe(0);
      // it predicts what a real run does, repeated keys included (orphan links need the target)
      const real = await migrateAll(t);
      const realSteps = real.flatMap((r) => r.steps);
      const drySteps = dry.flatMap((r) => r.steps);
      expect(drySteps.some((s) => s.superseded > 0), 'the extract has re-exported keys').toBe(true);
      for (const d of drySteps) {
        const r = realSteps.find((x) => x.step === d.step)!;
        expect(d.loaded + d.quarantined + d.excluded + d.superseded, d.step).toBe(d.read);
        expect({ read: d.read, excluded: d.excluded, superseded: d.superseded, accepted: d.loaded + d.quarantined }, d.step)
          .toEqual({ read: r.read, excluded: r.excluded, superseded: r.superseded, accepted: r.loaded + r.quarantined });
        if (!/CRIME_NOMINAL|CRIME_VEHICLE/.test(d.step)) expect({ loaded: d.loaded, quarantined: d.quarantined }, d.step).toEqual({ loaded: r.loaded, quarantined: r.quarantined });
      }
    } finally {
      await t.dispose();
    }
  });

  it('--limit stops each step early, and --resume finishes the job', async () => {
    const t = await freshTarget(e, 'opts_limit');
    try {
      const first = await migrateAll(t, { limit: 50, batchSize: 20 });
      expect(first.map((r) => r.status)).toEqual(['partial', 'partial']);
      expect(first[0]!.steps[0]!.read).toBe(50);
      await expect(migrateAll(t)).rejects.toThrow(/--resume/);
      const rest = await migrateAll(t, { resume: true });
      expect(rest.map((r) => r.status)).toEqual(['completed', 'completed']);
      const [{ n }] = await query<{ n: number }>(t.databaseUrl, `SELECT sum(read)::int n FROM migration.batch WHERE step = 'CRIS:ADDRESS'`);
      expect(n).toBe(e.generated.cris.ADDRESS);
    } finally {
      await t.dispose();
    }
  });

  it('a malformed file stops the run naming the file and byte offset; what was committed stays', async () => {
    const t = await freshTarget(e, 'opts_bad');
    const file = path.join(e.crimintDir, 'intel_reports.json');
    const manifestFile = path.join(e.crimintDir, 'manifest.json');
    const original = readFileSync(file);
    const manifest = readFileSync(manifestFile, 'utf8');
    try {
      await runPipelines(t, ['crimint'], { progress: false });
      const counts = () => query<{ persons: number; events: number; lineage: number }>(t.databaseUrl, `SELECT (SELECT count(*)::int FROM record.person) persons, (SELECT count(*)::int FROM record.event) events, (SELECT count(*)::int FROM migration.lineage) lineage`);
      const [before] = await counts();
      expect(before!.events).toBeGreaterThan(0);
      // a re-export broken two thirds in, whose manifest agrees with its bytes
      const bad = Buffer.concat([original.subarray(0, Math.floor(original.length * 0.66)), Buffer.from('{"urn": ,}')]);
      writeFileSync(file, bad);
      const m = JSON.parse(manifest);
      m.files['intel_reports.json'].sha256 = createHash('sha256').update(bad).digest('hex');
      writeFileSync(manifestFile, JSON.stringify(m));
      const err = await runPipelines(t, ['crimint'], { progress: false, restart: true }).then(() => null, (x: Error) => x);
      expect(err?.message).toMatch(/intel_reports\.json/);
      expect(err?.message).toMatch(/byte \d+/);
      const offset = Number(/byte (\d+)/.exec(err!.message)![1]);
      expect(Math.abs(offset - Math.floor(original.length * 0.66))).toBeLessThan(64);
      const [after] = await counts();
      expect(after, 'nothing committed before is lost').toEqual(before);
    } finally {
      writeFileSync(file, original);
      writeFileSync(manifestFile, manifest);
      await t.dispose();
    }
  });
});
