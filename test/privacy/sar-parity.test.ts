// End to end: a generated legacy extract migrated by the real pipelines, a subject-access
// response from the target compared with the legacy oracle's S20 answer, then the same after
// erasing the subject (the residual scan over a real migrated database must come out clean).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExtract, migrateAll, query, type Extract } from '../helpers/extract.ts';
import { openCrimintSource, openCrisSource, type Source } from '../../src/sources/index.ts';
import { buildOracle, type Oracle } from '../../src/parity/oracle.ts';
import { erase, residualScan, subjectAccess } from '../../src/privacy/index.ts';
import { verifyChain } from '../../src/audit/verify.ts';

describe('subject access parity with the legacy oracle', () => {
  let e: Extract;
  let out: string;
  let oracle: Oracle;
  let subject: { id: string; surname: string; forenames: string | null; dob: string };
  const sources: Source[] = [];

  beforeAll(async () => {
    e = await createExtract('privacy_e2e', { scale: 300, seed: 11 });
    await migrateAll(e);
    out = mkdtempSync(path.join(os.tmpdir(), 'cutover-sar-e2e-'));
    const cris = openCrisSource(e.crisUrl);
    const crimint = openCrimintSource(e.crimintDir);
    sources.push(cris, crimint);
    oracle = await buildOracle({ crisSource: cris, crimintSource: crimint, sampling: { size: 1, replayedPerCapability: 0 } });
    // the person with the most links whose primary DOB is a full date, who has a PNC ID, and an
    // address nobody else is linked to (the erasure removes it with them)
    const [p] = await query<{ id: string; surname: string; forenames: string | null; dob: string }>(
      e.databaseUrl,
      `SELECT p.id::text, p.surname, p.forenames, to_char(p.date_of_birth, 'DD/MM/YYYY') AS dob
         FROM record.person p
        WHERE p.dob_precision = 'day' AND p.pnc_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM record.person_location pl WHERE pl.person_id = p.id
                         AND NOT EXISTS (SELECT 1 FROM record.event_location el WHERE el.location_id = pl.location_id)
                         AND NOT EXISTS (SELECT 1 FROM record.person_location o WHERE o.location_id = pl.location_id AND o.person_id <> p.id))
        ORDER BY (SELECT count(*) FROM record.event_person ep WHERE ep.person_id = p.id) DESC, p.id LIMIT 1`,
    );
    subject = p!;
  }, 300_000);
  afterAll(async () => {
    for (const s of sources) await s.close();
    if (e) await e.dispose();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('finds the same records as the legacy S20', async () => {
    const r = await subjectAccess({
      url: e.databaseUrl, surname: subject.surname, forenames: subject.forenames ?? '', dob: subject.dob, outDir: path.join(out, 'before'), actor: 'DPO0001',
      parity: { crisSource: sources[0]!, crimintSource: sources[1]! },
    });
    expect(r.personIds).toContain(subject.id);
    expect(r.counts.events).toBeGreaterThan(0);
    expect(r.parity).toBeDefined();
    expect({ missing: r.parity!.missing, extra: r.parity!.extra }).toEqual({ missing: [], extra: [] });
    expect(r.parity!.ok).toBe(true);
    expect(r.parity!.legacyCount).toBe(r.parity!.targetCount);
  });

  it('after erasure: the subject is expectedly missing, and the residual scan is clean', async () => {
    const er = await erase({ url: e.databaseUrl, person: subject.id, actor: 'DPO0001', justification: 'erasure request ER-1 upheld' });
    expect(er.removed['record.person']).toBe(1);
    expect(er.removed['record.location']).toBeGreaterThan(0); // their own address went with them
    const scan = await residualScan({ url: e.databaseUrl, person: subject.id });
    expect(scan.hits).toEqual([]);
    expect(scan.ok).toBe(true);
    expect(scan.retainedInAuditLog.length).toBeGreaterThan(0); // at least the erasure event names the id
    expect(scan.coverage.tables).toBeGreaterThanOrEqual(20);

    const r = await subjectAccess({
      url: e.databaseUrl, surname: subject.surname, forenames: subject.forenames ?? '', dob: subject.dob, outDir: path.join(out, 'after'),
      parity: { oracle },
    });
    expect(r.personIds).not.toContain(subject.id);
    const reasons = new Set(r.parity!.missing.map((m) => m.reason));
    expect(r.parity!.missing.find((m) => m.targetId === subject.id)?.reason).toBe('erased');
    expect([...reasons].every((x) => x === 'erased' || x === 'subject_erased')).toBe(true);
    expect(r.parity!.ok).toBe(true);
    expect((await verifyChain(e.databaseUrl)).ok).toBe(true);
  });

  it('names why a record is missing: quarantined (not migrated) or simply gone (not found), and fails', async () => {
    // another person with two events of their own (the subject above is erased by now)
    const [p] = await query<{ id: string; surname: string; forenames: string | null; dob: string }>(
      e.databaseUrl,
      `SELECT p.id::text, p.surname, p.forenames, to_char(p.date_of_birth, 'DD/MM/YYYY') AS dob
         FROM record.person p
        WHERE p.dob_precision = 'day' AND p.id <> $1::uuid AND (SELECT count(*) FROM record.event_person ep WHERE ep.person_id = p.id) >= 2
        ORDER BY p.id LIMIT 1`,
      [subject.id],
    );
    const events = await query<{ id: string; identity: string }>(
      e.databaseUrl,
      `SELECT ep.event_id::text AS id, l.source_system || ':' || l.source_entity || ':' || l.source_key AS identity
         FROM record.event_person ep JOIN migration.lineage l ON l.target_id = ep.event_id AND l.parent_key IS NULL
        WHERE ep.person_id = $1::uuid ORDER BY 2 LIMIT 2`,
      [p!.id],
    );
    expect(events).toHaveLength(2);
    const [quarantined, gone] = events as [{ id: string; identity: string }, { id: string; identity: string }];
    // both leave the target; the first as if the migration had quarantined it
    await query(e.databaseUrl, `DELETE FROM migration.lineage WHERE target_id = ANY($1::uuid[])`, [[quarantined.id, gone.id]]);
    await query(e.databaseUrl, `DELETE FROM record.event WHERE id = ANY($1::uuid[])`, [[quarantined.id, gone.id]]);
    const [sys, ent, ...key] = quarantined.identity.split(':');
    await query(e.databaseUrl,
      `INSERT INTO migration.quarantine (source_system, source_entity, source_key, reason_code, message, raw, run_id) VALUES ($1, $2, $3, 'test', 'planted by the test', '{}', 0)`,
      [sys, ent, key.join(':')]);

    const r = await subjectAccess({
      url: e.databaseUrl, surname: p!.surname, forenames: p!.forenames ?? '', dob: p!.dob, outDir: path.join(out, 'corrupted'),
      parity: { oracle },
    });
    const reason = new Map(r.parity!.missing.map((m) => [m.identity, m.reason]));
    expect(reason.get(quarantined.identity)).toBe('not_migrated');
    expect(reason.get(gone.identity)).toBe('not_found');
    // the rest (addresses and objects reached only through those events) is simply gone too
    expect([...reason.values()].filter((x) => x !== 'not_found')).toEqual(['not_migrated']);
    expect(r.parity!.ok).toBe(false);
  });
});
