import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type pg from 'pg';
import { dropTestDatabase } from '../helpers/db.ts';
import { appendAudit, AUDIT_CHAIN_LOCK_KEY } from '../../src/audit/chain.ts';
import { canonicalJson, chainHash, GENESIS_HASH } from '../../src/audit/canonical.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { appendTx, client, entries, migratedDatabase, tamper } from './helpers.ts';

describe('audit chain: append and verify', () => {
  let url: string;
  let c: pg.Client;
  beforeAll(async () => {
    url = await migratedDatabase('audit_chain');
    c = await client(url);
  });
  afterAll(async () => {
    await c.end();
    await dropTestDatabase(url);
  });

  it('an empty chain verifies', async () => {
    expect(await verifyChain(url)).toMatchObject({ ok: true, rows: 0, firstBroken: null, tail: null });
    expect(await appendTx(c, [])).toEqual({ appended: 0, skipped: 0 });
  });

  it('chains appended rows from 32 zero bytes; verify recomputes every hash', async () => {
    expect(await appendTx(c, entries(40, 1))).toEqual({ appended: 40, skipped: 0 });
    expect(await appendTx(c, entries(60, 41))).toEqual({ appended: 60, skipped: 0 });
    const { rows } = await c.query('SELECT * FROM audit.event ORDER BY seq');
    expect(rows).toHaveLength(100);
    expect(rows[0].prev_hash).toEqual(GENESIS_HASH);
    let prev = GENESIS_HASH;
    for (const r of rows) {
      expect(r.prev_hash).toEqual(prev);
      const h = chainHash(prev, canonicalJson(r));
      expect(r.hash).toEqual(h);
      prev = h;
    }
    const v = await verifyChain(url);
    expect(v).toMatchObject({ ok: true, rows: 100, firstBroken: null, tail: { seq: '100', hash: prev.toString('hex') } });
  });

  it('verifies from an open client too, and stores exactly what it hashed (awkward text, sub-ms input)', async () => {
    const [row] = entries(1, 1000);
    await appendTx(c, [{
      ...row!, legacy_audit_id: 'odd-1', occurred_at: new Date('2020-10-25T01:30:00.123Z'),
      justification: 'tab\there\nnewline\r\\backslash\u0000nul', recipient: 'Zoë Ó Súilleabháin 😀 \ud800',
      entity_id: '3C1B7E52-6F0D-4C8E-9A51-2D4F0B8E7A10',
      detail: { b: { d: [1, 2.5, 'x\\y', null, true], c: 'é' }, a: '\u0000' },
    }]);
    const v = await verifyChain(c);
    expect(v.ok).toBe(true);
    const { rows } = await c.query(`SELECT justification, recipient, entity_id, detail FROM audit.event WHERE legacy_audit_id = 'odd-1'`);
    expect(rows[0]).toEqual({
      justification: 'tab\there\nnewline\r\\backslashnul', recipient: 'Zoë Ó Súilleabháin 😀 \ufffd',
      entity_id: '3c1b7e52-6f0d-4c8e-9a51-2d4f0b8e7a10', detail: { a: '', b: { c: 'é', d: [1, 2.5, 'x\\y', null, true] } },
    });
  });

  it('verifies instants far from 1970 (years 1066 and 2999) exactly', async () => {
    const [a, b] = entries(2, 2000);
    await appendTx(c, [{ ...a!, legacy_audit_id: 'far-1', occurred_at: new Date('1066-10-14T09:00:00.001Z') }, { ...b!, legacy_audit_id: 'far-2', occurred_at: new Date('2999-12-31T23:59:59.999Z') }]);
    expect((await verifyChain(c)).ok).toBe(true);
  });

  it('skips legacy ids already stored or repeated in the batch; rows without a legacy id always append', async () => {
    const again = entries(5, 38); // 38..42 exist
    const fresh = entries(2, 5000);
    const migrationEvent = { ...entries(1, 1)[0]!, origin: 'MIGRATION' as const, legacy_audit_id: null, actor: 'migration' };
    const r = await appendTx(c, [...again, ...fresh, fresh[0]!, migrationEvent, migrationEvent]);
    expect(r).toEqual({ appended: 4, skipped: 6 });
    expect((await verifyChain(url)).ok).toBe(true);
  });

  it('a batch of new legacy ids goes in at once, a repeat within it skipped; one that meets a stored id is written again without it', async () => {
    const count = async () => Number((await c.query('SELECT count(*) AS n FROM audit.event')).rows[0].n);
    const before = await count();
    const fresh = entries(3, 7000);
    // nothing stored yet: written on the first attempt, the repeat skipped in memory
    expect(await appendTx(c, [...fresh, fresh[1]!])).toEqual({ appended: 3, skipped: 1 });
    // 7002 is stored now and sits in the middle: the first attempt's rows before it are undone
    // with it, and the batch is written again, chained from the same tail
    expect(await appendTx(c, [...entries(1, 7100), fresh[2]!, ...entries(2, 7101)])).toEqual({ appended: 3, skipped: 1 });
    expect(await count()).toBe(before + 6);
    expect((await verifyChain(url)).ok).toBe(true);
  });

  it('refuses to run outside a transaction or under REPEATABLE READ', async () => {
    await expect(appendAudit(c, entries(1, 9000))).rejects.toThrow(/inside an open transaction/);
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await expect(appendAudit(c, entries(1, 9000))).rejects.toThrow(/READ COMMITTED/);
    await c.query('ROLLBACK');
    expect(typeof AUDIT_CHAIN_LOCK_KEY).toBe('bigint');
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on audit.event', async () => {
    await expect(c.query(`UPDATE audit.event SET actor = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only: UPDATE is refused/);
    await expect(c.query(`DELETE FROM audit.event WHERE seq = 1`)).rejects.toThrow(/append-only: DELETE is refused/);
    await expect(c.query(`TRUNCATE audit.event`)).rejects.toThrow(/append-only: TRUNCATE is refused/);
    expect((await verifyChain(url)).ok).toBe(true);
  });
});

describe('audit chain: tampering is located and classified', () => {
  let url: string;
  let c: pg.Client;
  let hashes: Map<number, Buffer>;
  beforeAll(async () => {
    url = await migratedDatabase('audit_tamper');
  });

  /** A fresh chain of 50 rows (seq 1–50) with a gap at seq 26: a rolled-back append consumed it. */
  async function fresh(gap = 1) {
    if (c) await c.end();
    await dropTestDatabase(url);
    url = await migratedDatabase('audit_tamper');
    c = await client(url);
    await appendTx(c, entries(25, 1));
    await c.query('BEGIN');
    await appendAudit(c, entries(gap, 500));
    await c.query('ROLLBACK');
    await appendTx(c, entries(25, 26));
    const { rows } = await c.query('SELECT seq::int AS seq, hash FROM audit.event ORDER BY seq');
    hashes = new Map(rows.map((r) => [r.seq, r.hash]));
    expect(rows.map((r) => r.seq)).toEqual([...Array(25).keys()].map((i) => i + 1).concat([...Array(25).keys()].map((i) => i + 26 + gap)));
    expect((await verifyChain(url)).ok).toBe(true);
  }
  afterAll(async () => {
    await c?.end();
    await dropTestDatabase(url);
  });

  it('a changed field → changed at that seq', async () => {
    await fresh();
    await tamper(c, `UPDATE audit.event SET justification = 'nothing to see' WHERE seq = 17`);
    const v = await verifyChain(url);
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toMatchObject({ seq: '17', reason: 'changed' });
    expect(v.rows).toBe(50);
  });

  it('a changed occurred_at by one microsecond → changed', async () => {
    await fresh();
    await tamper(c, `UPDATE audit.event SET occurred_at = occurred_at + interval '1 microsecond' WHERE seq = 33`);
    expect((await verifyChain(url)).firstBroken).toMatchObject({ seq: '33', reason: 'changed' });
  });

  it('a row whose content and hash were rewritten consistently → changed at that seq', async () => {
    await fresh();
    const { rows } = await c.query('SELECT * FROM audit.event WHERE seq = 10');
    const forged = { ...rows[0], actor: 'FORGER' };
    const hash = chainHash(forged.prev_hash, canonicalJson(forged));
    await tamper(c, `UPDATE audit.event SET actor = 'FORGER', hash = $1 WHERE seq = 10`, [hash]);
    expect((await verifyChain(url)).firstBroken).toMatchObject({ seq: '10', reason: 'changed' });
  });

  it('a deleted row → missing, named at the row after the gap', async () => {
    await fresh();
    await tamper(c, `DELETE FROM audit.event WHERE seq = 42`);
    const v = await verifyChain(url);
    expect(v.firstBroken).toMatchObject({ seq: '43', reason: 'missing' });
    expect(v.firstBroken!.detail).toMatch(/between seq 41 and seq 43/);
    expect(v.rows).toBe(49);
  });

  it('the deleted first row → missing at seq 2', async () => {
    await fresh();
    await tamper(c, `DELETE FROM audit.event WHERE seq = 1`);
    expect((await verifyChain(url)).firstBroken).toMatchObject({ seq: '2', reason: 'missing' });
  });

  it('a forged row inserted in the seq gap, with a correctly chained hash → inserted at its seq', async () => {
    await fresh();
    const prev = hashes.get(25)!;
    const forged = { ...entries(1, 26)[0]!, actor: 'FORGER', legacy_audit_id: 'forged-1' };
    const hash = chainHash(prev, canonicalJson(forged));
    await tamper(c,
      `INSERT INTO audit.event (seq, occurred_at, actor, operation, justification, recipient, entity_type, entity_id, entity_ref, detail, origin, legacy_audit_id, prev_hash, hash)
       OVERRIDING SYSTEM VALUE VALUES (26, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [forged.occurred_at, forged.actor, forged.operation, forged.justification, forged.recipient, forged.entity_type, forged.entity_id,
        forged.entity_ref, JSON.stringify(forged.detail), forged.origin, forged.legacy_audit_id, prev, hash]);
    const v = await verifyChain(url);
    expect(v.firstBroken).toMatchObject({ seq: '26', reason: 'inserted' });
    expect(v.rows).toBe(51);
  });

  it('a naively forged row (hash not chained) → inserted at its seq', async () => {
    await fresh();
    await tamper(c,
      `INSERT INTO audit.event (seq, occurred_at, actor, operation, origin, legacy_audit_id, prev_hash, hash)
       OVERRIDING SYSTEM VALUE VALUES (26, now(), 'FORGER', 'consultation', 'CRIS', 'forged-2', $1, $2)`,
      [hashes.get(25)!, Buffer.alloc(32, 7)]);
    expect((await verifyChain(url)).firstBroken).toMatchObject({ seq: '26', reason: 'inserted' });
  });

  it('two forged rows, chained to each other and to seq 25 → inserted, naming the first', async () => {
    await fresh(2);
    let prev = hashes.get(25)!;
    for (const seq of [26, 27]) {
      const forged = { ...entries(1, seq)[0]!, actor: 'FORGER', legacy_audit_id: `forged-${seq}` };
      const hash = chainHash(prev, canonicalJson(forged));
      await tamper(c,
        `INSERT INTO audit.event (seq, occurred_at, actor, operation, justification, recipient, entity_type, entity_id, entity_ref, detail, origin, legacy_audit_id, prev_hash, hash)
         OVERRIDING SYSTEM VALUE VALUES ($14, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [forged.occurred_at, forged.actor, forged.operation, forged.justification, forged.recipient, forged.entity_type, forged.entity_id,
          forged.entity_ref, JSON.stringify(forged.detail), forged.origin, forged.legacy_audit_id, prev, hash, seq]);
      prev = hash;
    }
    const v = await verifyChain(url);
    expect(v.firstBroken).toMatchObject({ seq: '26', reason: 'inserted' });
    expect(v.firstBroken!.detail).toMatch(/seq 26–27 were inserted/);
  });

  it('a changed last row → changed', async () => {
    await fresh();
    await tamper(c, `UPDATE audit.event SET recipient = 'someone' WHERE seq = 51`);
    expect((await verifyChain(url)).firstBroken).toMatchObject({ seq: '51', reason: 'changed' });
  });
});

describe('audit chain: concurrent writers', () => {
  it('parallel transactions on several connections produce one unforked, verifying chain', async () => {
    const url = await migratedDatabase('audit_concurrent');
    const writers = 6;
    const batches = 8;
    const per = 40;
    const clients = await Promise.all(Array.from({ length: writers }, () => client(url)));
    try {
      await Promise.all(clients.map(async (cl, w) => {
        for (let b = 0; b < batches; b++) {
          const first = (w * batches + b) * per + 1;
          await cl.query('BEGIN');
          await appendAudit(cl, entries(per, first, w % 2 ? 'CRIMINT' : 'CRIS'));
          await new Promise((r) => setTimeout(r, Math.random() * 5)); // hold the lock a little, as a real batch does
          await cl.query('COMMIT');
        }
      }));
      const v = await verifyChain(url);
      expect(v).toMatchObject({ ok: true, rows: writers * batches * per });
      const { rows } = await clients[0]!.query('SELECT count(DISTINCT prev_hash)::int AS n, count(*)::int AS total FROM audit.event');
      expect(rows[0].n).toBe(rows[0].total); // no two rows share a predecessor: no fork
    } finally {
      await Promise.all(clients.map((cl) => cl.end()));
      await dropTestDatabase(url);
    }
  });
});
