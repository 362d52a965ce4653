// Anchors of the audit chain: a chain cut at its end, or re-hashed after a deletion in the middle,
// verifies on its own; an anchor beyond the change catches both (verify, reconcile, the gate).
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { migratedDatabase, client, entries, appendTx } from './helpers.ts';
import { dropTestDatabase } from '../helpers/db.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { auditReconcile } from '../../src/audit/reconcile.ts';
import { canonicalJson, chainHash, GENESIS_HASH } from '../../src/audit/canonical.ts';
import { anchorsFile, chainHead, formatAnchor, parseAnchor, readAnchors, targetKey, type Anchor } from '../../src/audit/anchors.ts';
import { verifyAnchored, recordHead, storedResultHeads } from '../../src/audit/anchored.ts';
import { saveResult, bindingOf } from '../../src/report/store.ts';
import { checkAuditVerify } from '../../src/checks/index.ts';
import { loadStoredResults, runGate, readTarget } from '../../src/report/index.ts';
import type { AuditIn } from '../../src/pipeline/types.ts';
import type { Connections } from '../../src/db/config.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/cutover.js');

/** The CLI against the test database: exit code, stdout, stderr. */
function cli(url: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args, '--database-url', url, '--cris-url', url], { env: process.env }, (error, out, err) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err });
    });
  });
}

const conn = (databaseUrl: string): Connections => ({ databaseUrl, crisUrl: '', crimintDir: '', embedded: false });

/** What an owner of audit.event can do: switch the append-only triggers off, change rows, switch them on. */
async function asOwner(c: pg.Client, sql: string, values: unknown[] = []) {
  await c.query('ALTER TABLE audit.event DISABLE TRIGGER USER');
  try {
    await c.query(sql, values);
  } finally {
    await c.query('ALTER TABLE audit.event ENABLE TRIGGER USER');
  }
}

const erasureEvent = (): AuditIn => ({
  occurred_at: new Date('2026-01-02T03:04:05.006Z'), actor: 'DPO1', operation: 'erasure', justification: 'erasure request 42', recipient: null,
  entity_type: 'person', entity_id: '0b0a6a4e-0d5a-4d38-9a53-1f0c7c1d9e01', entity_ref: null, detail: { erasure: 'e-42', rows: 7 }, origin: 'MIGRATION', legacy_audit_id: null,
});

/** Re-hash every row from seq `from` on, as a forger who deleted a row before it would. */
async function rehashFrom(c: pg.Client, from: number) {
  const { rows } = await c.query(
    `SELECT seq::int, occurred_at, actor, operation, justification, recipient, entity_type, entity_id::text, entity_ref, detail, origin, legacy_audit_id
       FROM audit.event ORDER BY seq`,
  );
  let prev = GENESIS_HASH;
  const updates: Array<[number, Buffer, Buffer]> = [];
  for (const r of rows) {
    if (r.seq >= from) {
      const hash = chainHash(prev, canonicalJson(r));
      updates.push([r.seq, prev, hash]);
      prev = hash;
    } else {
      prev = (await c.query('SELECT hash FROM audit.event WHERE seq = $1', [r.seq])).rows[0].hash;
    }
  }
  for (const [seq, p, h] of updates) await asOwner(c, 'UPDATE audit.event SET prev_hash = $2, hash = $3 WHERE seq = $1', [seq, p, h]);
}

describe('audit anchors: a cut or re-hashed chain is caught by an anchor beyond the change', () => {
  let url: string;
  let c: pg.Client;
  let home: string;
  const saved = process.env.CUTOVER_RESULTS_DIR;

  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'cutover-anchors-'));
  });
  beforeEach(async () => {
    if (c) await c.end();
    if (url) await dropTestDatabase(url);
    url = await migratedDatabase('audit_anchor');
    c = await client(url);
    process.env.CUTOVER_RESULTS_DIR = path.join(home, path.basename(new URL(url).pathname));
  });
  afterAll(async () => {
    await c?.end();
    if (url) await dropTestDatabase(url);
    if (saved === undefined) delete process.env.CUTOVER_RESULTS_DIR;
    else process.env.CUTOVER_RESULTS_DIR = saved;
    rmSync(home, { recursive: true, force: true });
  });

  it('the erasure event cut from the end: the chain alone verifies; verify, reconcile and the gate fail on the anchor', async () => {
    await appendTx(c, entries(20, 1));
    await appendTx(c, [erasureEvent()]);
    const head = (await chainHead(c))!;
    expect(head.seq).toBe('21');

    // every verify keeps its head; the anchor is kept outside the database, per target
    const first = await checkAuditVerify(conn(url));
    expect(first).toMatchObject({ ok: true, kept: { seq: '21', hash: head.hash, by: 'verify' } });
    expect(readAnchors(await targetKey(c))).toHaveLength(1);
    expect(readAnchors('another-target')).toEqual([]);

    await asOwner(c, 'DELETE FROM audit.event WHERE seq = 21');

    // without an anchor a cut tail is invisible (the finding); verify without anchors works as before
    expect(await verifyChain(url)).toMatchObject({ ok: true, rows: 20, firstBroken: null, tail: { seq: '20' }, anchors: { checked: 0, broken: [] } });

    const v = await verifyChain(url, { anchors: [head] });
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toMatchObject({ seq: '21', reason: 'truncated' });
    expect(v.firstBroken!.detail).toMatch(/^anchor 21:[0-9a-f]{12}… \(given by hand\): the chain ends at seq 20, short of the anchor: rows seq 21–21 are missing/);
    expect(v.anchors).toMatchObject({ checked: 1, reached: false, broken: [{ kind: 'truncated', range: '21–21' }] });

    // the CLI's verify reads the kept anchor by itself, and names when it was recorded
    const again = await checkAuditVerify(conn(url));
    expect(again.ok).toBe(false);
    expect(again.kept).toBeNull();
    expect(again.firstBroken!.detail).toMatch(/\(recorded \d{4}-.*Z by verify\): the chain ends at seq 20/);

    // the gate, from the stored verify result
    const gate = runGate({ results: loadStoredResults((await readTarget(url)).id) }).gate.criteria.find((x) => x.id === 'audit-anchors')!;
    expect(gate.ok).toBe(false);
    expect(gate.reason).toMatch(/rows seq 21–21 are missing/);

    // the audit reconciliation fails too (an erasure event has no legacy entry to miss it by)
    const rec = await auditReconcile({ targetUrl: url, anchors: readAnchors(await targetKey(c)) });
    expect(rec.ok).toBe(false);
    expect(rec.anchors.broken).toMatchObject([{ kind: 'truncated', range: '21–21' }]);
    expect((await auditReconcile({ targetUrl: url })).ok).toBe(true);
  });

  it('a middle row deleted and every later row re-hashed: caught by an anchor beyond it, not by one before it', async () => {
    await appendTx(c, entries(10, 1));
    const before = (await chainHead(c))!; // seq 10
    await appendTx(c, entries(20, 11));
    const head = (await chainHead(c))!; // seq 30
    expect((await verifyChain(url, { anchors: [before, head] })).ok).toBe(true);

    await asOwner(c, 'DELETE FROM audit.event WHERE seq = 15');
    await rehashFrom(c, 16);
    // on its own the forged chain verifies: a seq gap is legal (a rolled-back append leaves one)
    expect((await verifyChain(url)).ok).toBe(true);
    // an anchor before the change still fits
    expect((await verifyChain(url, { anchors: [before] })).ok).toBe(true);

    const v = await verifyChain(url, { anchors: [before, head] });
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toMatchObject({ seq: '30', reason: 'rewritten' });
    expect(v.anchors.broken).toHaveLength(1);
    expect(v.anchors.broken[0]).toMatchObject({ kind: 'rewritten', range: '11–30' });
    expect(v.anchors.broken[0]!.found).not.toBe(head.hash);
    expect(v.firstBroken!.detail).toMatch(/the row at seq 30 has hash [0-9a-f]{12}…: rows in seq 11–30 were removed, changed or inserted/);

    // an anchor exactly at the deleted row: no row at its seq any more
    const at15: Anchor = { seq: '15', hash: 'ab'.repeat(32) };
    expect((await verifyChain(url, { anchors: [at15] })).firstBroken!.detail).toMatch(/no row has seq 15 any more/);
    expect((await auditReconcile({ targetUrl: url, anchors: [before, head] })).anchors.broken).toMatchObject([{ kind: 'rewritten', range: '11–30' }]);
  });

  it('the gate: a head recorded after the verify that went back, or lies beyond it, fails the gate until a new verify', async () => {
    await appendTx(c, entries(12, 1));
    expect((await checkAuditVerify(conn(url))).ok).toBe(true);
    const tid = (await readTarget(url)).id; // results are stored per target
    const anchorsOk = () => runGate({ results: loadStoredResults(tid) }).gate.criteria.find((x) => x.id === 'audit-anchors')!;
    expect(anchorsOk()).toMatchObject({ ok: true, actual: 'verified to seq 12, last anchor seq 12' });

    // a report after more entries: its head is beyond what the verify saw
    await appendTx(c, entries(3, 100));
    await recordHead(url, 'report');
    expect(anchorsOk()).toMatchObject({ ok: false });
    expect(anchorsOk().reason).toMatch(/anchor at seq 15 \(recorded .* by report\) is beyond the verified chain, which ends at seq 12/);
    expect((await checkAuditVerify(conn(url))).ok).toBe(true);
    expect(anchorsOk().ok).toBe(true);

    // cut after the verify; the next report's head shows the log went back, with no verify needed
    await asOwner(c, 'DELETE FROM audit.event WHERE seq > 13');
    await new Promise((r) => setTimeout(r, 5));
    await recordHead(url, 'report');
    expect(anchorsOk().ok).toBe(false);
    expect(anchorsOk().reason).toMatch(/head went back to seq 13 .* after the verify reached seq 15: rows seq 14–15 were cut/);
  });

  it('anchors given by hand: SEQ:HASH parsed, a bad one refused in one line; the store names a broken line', async () => {
    await appendTx(c, entries(3, 1));
    const head = (await chainHead(c))!;
    expect(parseAnchor(`${head.seq}:${head.hash.toUpperCase()}`)).toEqual(head);
    expect(() => parseAnchor('12:abc')).toThrow(/--anchor must be SEQ:HASH/);
    expect(() => parseAnchor('0:' + 'a'.repeat(64))).toThrow(/SEQ:HASH/);
    expect((await verifyAnchored(url, [{ seq: '3', hash: 'cd'.repeat(32) }])).firstBroken).toMatchObject({ seq: '3', reason: 'rewritten' });
    expect((await verifyAnchored(url, [{ seq: '4', hash: head.hash }])).firstBroken).toMatchObject({ seq: '4', reason: 'truncated' });
    expect((await verifyAnchored(url, [head])).kept).toMatchObject({ seq: head.seq, by: 'verify' });
    writeFileSync(anchorsFile(), 'not json\n', { flag: 'a' });
    await expect(verifyAnchored(url)).rejects.toThrow(/audit-anchors\.jsonl:\d+ is not an audit anchor/);
  });

  it('the CLI: `audit verify --anchor SEQ:HASH` fails on a cut chain naming the anchor (exit 1); a malformed anchor is exit 2 with what to do', async () => {
    await appendTx(c, entries(5, 1));
    const { head } = await recordHead(url, 'anchor'); // what `cutover audit anchor` does and prints
    expect(formatAnchor(head!)).toMatch(/^5:[0-9a-f]{64}$/);
    await asOwner(c, 'DELETE FROM audit.event WHERE seq = 5');
    const [v, bad] = await Promise.all([cli(url, 'audit', 'verify', '--anchor', formatAnchor(head!)), cli(url, 'audit', 'verify', '--anchor', '5:xyz')]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/audit chain BROKEN at seq 5: truncated — anchor 5:[0-9a-f]{12}… \(recorded .* by anchor\): the chain ends at seq 4, short of the anchor: rows seq 5–5 are missing/);
    expect(bad.code).toBe(2);
    // the error and what to do, nothing else (no stack)
    expect(bad.err.trim().split('\n')).toEqual(['cutover: --anchor must be SEQ:HASH (a seq and a 64-digit hex hash), got "5:xyz"', '  → copy it as `cutover audit anchor` printed it, e.g. 1234:9f86d081…']);
  }, 300_000);

  it('the head each stored result recorded is an anchor too: a cut below it fails verify, naming the result', async () => {
    await appendTx(c, entries(8, 1));
    // any check's stored result records the head (here the retention figures, as `cutover report` stores them)
    saveResult(bindingOf(await readTarget(url)), 'retention', true, { asOf: '2026-12-06', overdueTotal: 0, groups: [] });
    expect(await storedResultHeads(url)).toMatchObject([{ seq: '8', by: 'the stored retention result' }]);
    rmSync(anchorsFile(), { force: true }); // no kept anchor: only the stored result knows the head

    await asOwner(c, 'DELETE FROM audit.event WHERE seq > 6');
    const v = await verifyAnchored(url);
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toMatchObject({ seq: '8', reason: 'truncated' });
    expect(v.firstBroken!.detail).toMatch(/anchor 8:[0-9a-f]{12}… \(recorded .* by the stored retention result\): the chain ends at seq 6, short of the anchor: rows seq 7–8 are missing/);
  });

  it('the head is the row with the highest seq as a number: past seq 99 the text order would say 99', async () => {
    await appendTx(c, entries(120, 1));
    expect((await chainHead(c))!.seq).toBe('120');
    const now = await readTarget(url);
    expect(now.auditHead).toEqual(await chainHead(c));
    expect(now.auditHead!.seq).toBe('120');
  });
});
