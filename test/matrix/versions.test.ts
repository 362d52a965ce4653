// The PostgreSQL version matrix: 15, 16, 17 and 18 as target and CRIS stand-in. PostgreSQL 15–17
// run from the npm aliases pg15, pg16, pg17 (dev dependencies), each on its own free port and data
// folder (.cutover/test-matrix/pgNN); 18 is the suite's server. On each, at small scale, the
// whole job (cutover demo: migrate, generate, run, reconcile, parity, audit verify, a sample
// erasure with its residual scan, SAR, report, gate), then the search functions against the
// JavaScript rules over every code point, then a delta of legacy changes (the stand-in hashing its
// own records). Every version must give the same rows, search keys, verdicts, gate and delta as 18. Run it alone: `npx vitest run test/matrix`.
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { ensureEmbedded, stopEmbedded, embeddedUrl } from '../../src/db/embedded.ts';
import { runDemo } from '../../src/checks/demo.ts';
import { runDeltas } from '../../src/delta/index.ts';
import { generateChanges } from '../../src/synth/changes.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { digest, query } from '../helpers/extract.ts';
import { codePointMismatches } from '../search/every-code-point.ts';
import type { Connections } from '../../src/db/config.ts';

const SCALE = 40;
/** Each version's run: seconds on an idle machine, minutes on a crowded one. */
const TIMEOUT = 900_000;
const HOME = path.resolve(process.env.CUTOVER_TEST_HOME ?? '.cutover/test', '..', 'test-matrix');
/** The versions besides the suite's 18, and the package of each one's binaries. */
const OTHERS = [{ major: 15, binaries: 'pg15' }, { major: 16, binaries: 'pg16' }, { major: 17, binaries: 'pg17' }];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Outcome {
  major: number;
  rows: Record<string, string>;
  searchKeys: string;
  checks: Record<string, boolean>;
  verdicts: string[];
  gate: Record<string, boolean>;
  codePoints: { checked: number; mismatches: string[] };
  /** then a delta of legacy changes: what it changed, where each step hashed the records, and the rows after it */
  delta: { changes: Record<string, number>; hashedBy: string[]; rows: Record<string, string> };
  seconds: number;
}

/**
 * The migration's digest (test/helpers/extract.ts), but the audit log by its legacy entries only
 * (the demo's own erasure and SAR events carry the time they happened) and, for those, what
 * was done to which record.
 */
async function rowsDigest(url: string): Promise<Record<string, string>> {
  const { legacy_audit: _timed, ...rest } = await digest(url);
  const parts = {
    legacy_audit: `SELECT occurred_at, actor, operation, justification, recipient, entity_type, entity_id, entity_ref, detail, origin, legacy_audit_id
                     FROM audit.event WHERE legacy_audit_id IS NOT NULL ORDER BY origin, legacy_audit_id`,
    new_audit: `SELECT operation, entity_type, entity_id FROM audit.event WHERE legacy_audit_id IS NULL AND origin <> 'MIGRATION' ORDER BY seq`,
  };
  const out: Record<string, string> = { ...rest };
  for (const [name, sql] of Object.entries(parts)) {
    const [row] = await query<{ d: string; n: string }>(url, `SELECT md5(coalesce(string_agg(t::text, E'\\n'), '')) AS d, count(*)::text AS n FROM (${sql}) t`);
    out[name] = `${row!.n}:${row!.d}`;
  }
  return out;
}

/** Search keys of every person, alias, location, object and event of the target. */
async function searchKeys(url: string): Promise<string> {
  const [row] = await query<{ d: string }>(url, `SELECT md5(string_agg(k, E'\\n' ORDER BY k)) AS d FROM (
      SELECT concat_ws('|', id, search.name_key(surname), search.soundex_key(surname)) AS k FROM record.person
      UNION ALL SELECT concat_ws('|', id, search.name_key(surname), search.soundex_key(surname)) FROM record.person_name
      UNION ALL SELECT concat_ws('|', id, array_to_string(search.tokens(street), ' '), search.field_key(town)) FROM record.location
      UNION ALL SELECT concat_ws('|', id, search.field_key(make), search.field_key(model), search.phone_key(telephone)) FROM record.object
      UNION ALL SELECT concat_ws('|', id, search.ref_key(reference), search.code_key(classification_code), search_tokens) FROM record.event) k`);
  return row!.d;
}

/** The whole job on one server, and what it produced. */
async function runOn(major: number, c: Connections): Promise<Outcome> {
  const t0 = Date.now();
  const home = mkdtempSync(path.join(os.tmpdir(), `cutover-matrix-${major}-`));
  const saved = process.env.CUTOVER_HOME;
  process.env.CUTOVER_HOME = home; // the stored check results of this version
  try {
    const r = await runDemo(c, { scale: SCALE, seed: 'matrix', outDir: path.join(home, 'report') });
    const client = new pg.Client(c.databaseUrl);
    await client.connect();
    try {
      const [v] = (await client.query<{ v: number }>(`SELECT current_setting('server_version_num')::int / 10000 AS v`)).rows;
      expect(v!.v).toBe(major);
      return {
        major,
        rows: await rowsDigest(c.databaseUrl),
        searchKeys: await searchKeys(c.databaseUrl),
        checks: Object.fromEntries(Object.entries(r.checks).map(([k, ch]) => [k, ch.ok])),
        verdicts: r.summary.areas.searchParity.capabilities.map((x) => `${x.id} ${x.verdict}`),
        gate: Object.fromEntries(r.gate.criteria.map((x) => [x.id, x.ok])),
        codePoints: await codePointMismatches(client),
        delta: await deltaOn(c, home),
        seconds: (Date.now() - t0) / 1000,
      };
    } finally {
      await client.end();
    }
  } finally {
    if (saved === undefined) delete process.env.CUTOVER_HOME;
    else process.env.CUTOVER_HOME = saved;
    rmSync(home, { recursive: true, force: true });
  }
}

/** Legacy changes after the job, brought over by a delta (the CRIS stand-in hashes its own records on this version). */
async function deltaOn(c: Connections, home: string): Promise<Outcome['delta']> {
  const newer = path.join(home, 'crimint-newer');
  await generateChanges({ fraction: 0.05, seed: 7, crisUrl: c.crisUrl, crimintDir: c.crimintDir, crimintOut: newer });
  const deltas = await runDeltas({ ...c, crimintDir: newer }, ['cris', 'crimint'], { progress: false });
  const changes: Record<string, number> = {};
  for (const d of deltas) for (const [k, v] of Object.entries(d.changes)) changes[`${d.pipeline} ${k}`] = v;
  return { changes, hashedBy: deltas.flatMap((d) => d.steps.filter((x) => x.hashedBy).map((x) => `${x.step} ${x.hashedBy}`)), rows: await rowsDigest(c.databaseUrl) };
}

const outcomes: Outcome[] = [];
const cleanup: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
});

describe('version matrix: PostgreSQL 15, 16, 17 and 18 give the same results', () => {
  it('PostgreSQL 18 (the suite server)', async () => {
    const c: Connections = {
      databaseUrl: await createTestDatabase('matrix18_target'),
      crisUrl: await createTestDatabase('matrix18_cris'),
      crimintDir: mkdtempSync(path.join(os.tmpdir(), 'cutover-matrix-crimint-')),
      embedded: false,
    };
    cleanup.push(() => dropTestDatabase(c.databaseUrl), () => dropTestDatabase(c.crisUrl), async () => rmSync(c.crimintDir, { recursive: true, force: true }));
    const o = await runOn(18, c);
    outcomes.push(o);
    expect(o.codePoints.mismatches).toEqual([]);
    expect(o.checks).toMatchObject({ migrate: true, reconcile: true, parity: true, 'audit verify': true, 'residual scan': true, 'audit verify after erasure': true });
    expect(o.verdicts).toHaveLength(20);
    expect(o.delta.hashedBy.filter((x) => x.startsWith('CRIS:'))).toEqual(['ADDRESS', 'VEHICLE', 'NOMINAL', 'CRIME_REPORT', 'CRIME_NOMINAL', 'CRIME_VEHICLE'].map((e) => `CRIS:${e} source`));
    expect(o.delta.changes['cris update']).toBeGreaterThan(0);
  }, TIMEOUT);

  for (const { major, binaries } of OTHERS) {
    it(`PostgreSQL ${major}: the same rows, search keys, verdicts and gate as 18`, async () => {
      const home = path.join(HOME, binaries);
      const port = await freePort();
      await ensureEmbedded({ home, port, binaries });
      cleanup.push(() => stopEmbedded({ home, port, binaries }));
      const admin = new pg.Client(embeddedUrl(port, 'postgres'));
      await admin.connect();
      try {
        for (const db of ['cutover', 'cris_legacy']) {
          await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
          await admin.query(`CREATE DATABASE ${db}`);
        }
      } finally {
        await admin.end();
      }
      const crimintDir = mkdtempSync(path.join(os.tmpdir(), `cutover-matrix-crimint-${major}-`));
      cleanup.push(async () => rmSync(crimintDir, { recursive: true, force: true }));
      const o = await runOn(major, { databaseUrl: embeddedUrl(port, 'cutover'), crisUrl: embeddedUrl(port, 'cris_legacy'), crimintDir, embedded: false });
      outcomes.push(o);
      const ref = outcomes.find((x) => x.major === 18);
      expect(ref, 'the PostgreSQL 18 run comes first').toBeDefined();
      expect(o.codePoints).toEqual(ref!.codePoints);
      expect(o.rows).toEqual(ref!.rows);
      expect(o.searchKeys).toBe(ref!.searchKeys);
      expect(o.checks).toEqual(ref!.checks);
      expect(o.verdicts).toEqual(ref!.verdicts);
      expect(o.gate).toEqual(ref!.gate);
      expect(o.delta).toEqual(ref!.delta);
      process.stderr.write(`version matrix: PostgreSQL ${major} in ${o.seconds.toFixed(1)} s (18: ${ref!.seconds.toFixed(1)} s)\n`);
    }, TIMEOUT);
  }
});
