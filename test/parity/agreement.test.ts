// The piecewise agreement check (src/parity/agreement.ts) against a generated, migrated extract
// and the real SQL search: it must say "the same" for every answer of a clean target, with the
// oracle's count, and must never say it for an answer that differs by one record, even when the
// lengths match, nor when a record is known as not migrated.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { createExtract, migrateAll, oracleOf, type Extract } from '../helpers/extract.ts';
import { createSqlSearch, type SqlSearch } from '../../mappings/search/index.ts';
import type { Oracle } from '../../src/parity/oracle.ts';
import { generateWorkload } from '../../src/parity/workload-gen.ts';
import { IdentityMapper, expectedTargetId, readNotMigrated, readRestricted } from '../../src/parity/lineage.ts';
import { CapabilityTally, notMigratedMatcher } from '../../src/parity/metrics.ts';
import { sameAnswer, sameOrReachable, type AgreementContext } from '../../src/parity/agreement.ts';
import type { Query } from '../../src/parity/types.ts';

let e: Extract;
let oracle: Oracle;
let client: pg.Client;
let search: SqlSearch;
let ctx: AgreementContext;
let queries: Query[];

beforeAll(async () => {
  e = await createExtract('parity_agree', { scale: 600, seed: 8 });
  await migrateAll(e);
  // small pages: the key maps built again for locations, objects and audit entries are paged out and read back
  oracle = await oracleOf(e, { pages: { bytes: 4096, pageBytes: 256 } });
  client = new pg.Client(e.databaseUrl);
  await client.connect();
  search = createSqlSearch(e.databaseUrl);
  const restricted = await readRestricted(client);
  // a piece of 7 ids: wide answers are checked in many pieces
  ctx = { oracle, mapper: new IdentityMapper(client), restricted, notMigrated: new Set(), isNotMigrated: () => false, piece: 7 };
  queries = generateWorkload(oracle, { perCapability: 10, restricted, seed: 3 }).queries.filter((q) => q.capability !== 'S20');
}, 300_000);
afterAll(async () => {
  await search?.close();
  await client?.end();
  oracle?.close();
  await e?.dispose();
});

/** The oracle's answer as target ids, and a query with at least `min` records in it. */
const legacyIds = (q: Query) => oracle.find(q.capability, q.params, { restricted: ctx.restricted }).map(expectedTargetId);
function wideQuery(min: number): Query {
  const q = queries.find((q) => q.capability !== 'S19' && oracle.find(q.capability, q.params, { restricted: ctx.restricted }).length >= min);
  if (!q) throw new Error(`no query of the workload finds ${min} records`);
  return q;
}

describe('piecewise agreement of answers', () => {
  it("says the same, with the oracle's count, exactly when the full comparison would (every kind of record)", async () => {
    const withNm: AgreementContext = { ...ctx, isNotMigrated: notMigratedMatcher(await readNotMigrated(client)) };
    const kinds = new Set<string>();
    let same = 0;
    for (const q of queries) {
      const ids = await search.search(q.capability, q.params);
      // the full comparison's "the same": the mapped target answer is the oracle's, none of it not migrated
      const legacy = oracle.find(q.capability, q.params, { restricted: ctx.restricted });
      const target = (await new IdentityMapper(client).map(ids)).map((r) => r.identity);
      const agrees = legacy.length === target.length && new Set(target).size === target.length && new Set([...legacy, ...target]).size === legacy.length && !legacy.some(withNm.isNotMigrated);
      expect({ q, same: await sameAnswer(q, ids, withNm) }).toEqual({ q, same: agrees ? { records: legacy.length, notMigrated: [] } : null });
      if (agrees) {
        same++;
        kinds.add(oracle.findSlots(q.capability as never, q.params).table);
      }
    }
    // the clean target agrees on nearly every query, on every kind of record
    expect(same).toBeGreaterThan(0.9 * queries.length);
    expect([...kinds].sort()).toEqual(['audit', 'events', 'locations', 'objects', 'persons']);
  });

  it('does not say the same when one record is missing, added, swapped for another, or repeated across pieces', async () => {
    const q = wideQuery(20);
    const ids = legacyIds(q);
    expect((await sameAnswer(q, ids, ctx))?.records).toBe(ids.length);
    const other = oracle.store[oracle.findSlots(q.capability as never, q.params).table];
    // a record of the same table the query does not find
    const answer = new Set(oracle.find(q.capability, q.params, { restricted: ctx.restricted }));
    let outsider: string | undefined;
    for (let s = 0; s < other.size && !outsider; s++) if (!answer.has(other.identity(s))) outsider = expectedTargetId(other.identity(s));
    expect(outsider).toBeDefined();
    expect(await sameAnswer(q, ids.slice(1), ctx)).toBeNull(); // missing
    expect(await sameAnswer(q, [...ids, outsider!], ctx)).toBeNull(); // added
    expect(await sameAnswer(q, [outsider!, ...ids.slice(1)], ctx)).toBeNull(); // swapped: the same length
    expect(await sameAnswer(q, [...ids.slice(1), '00000000-0000-4000-8000-000000000001'], ctx)).toBeNull(); // no lineage
    expect(await sameAnswer(q, [...ids.slice(1), ids[2]!], ctx)).toBeNull(); // one repeated in another piece, one missing
    // repeated within a piece is mapped once, as the full comparison does
    expect((await sameAnswer(q, [ids[0]!, ...ids], ctx))?.records).toBe(ids.length);
  });

  it('accounts for records not migrated as the full comparison does: the same metrics, capability by capability', async () => {
    const notMigrated = await readNotMigrated(client);
    const withNm: AgreementContext = { ...ctx, notMigrated, isNotMigrated: notMigratedMatcher(notMigrated) };
    const full = new Map<string, CapabilityTally>();
    const piecewise = new Map<string, CapabilityTally>();
    const tally = (m: Map<string, CapabilityTally>, q: Query) => m.get(q.capability) ?? m.set(q.capability, new CapabilityTally(q.capability, { notMigrated: withNm.isNotMigrated })).get(q.capability)!;
    let reached = 0;
    for (const q of queries) {
      const ids = await search.search(q.capability, q.params);
      const outcome = {
        query: q, latencyMs: 0, target: await new IdentityMapper(client).map(ids),
        oracle: oracle.find(q.capability, q.params, { restricted: ctx.restricted }),
        reachable: () => oracle.find(q.capability, q.params, { restricted: ctx.restricted, absent: notMigrated }),
      };
      tally(full, q).add(outcome);
      const same = await sameOrReachable(q, () => ids, withNm);
      if (same === null) tally(piecewise, q).add(outcome);
      else tally(piecewise, q).addSame(q, same.records, 0, same.notMigrated);
      if (same && same.notMigrated.length > 0) reached++;
    }
    expect(notMigrated.size).toBeGreaterThan(0);
    expect(reached).toBeGreaterThan(0); // answers holding a record not migrated were settled here, not in the full comparison
    for (const [cap, t] of full) expect(tally(piecewise, { capability: cap } as Query).result()).toEqual(t.result());
  });

  it('leaves to the full comparison an answer holding a record known as not migrated, and S20', async () => {
    const q = wideQuery(5);
    const ids = legacyIds(q);
    const one = oracle.find(q.capability, q.params, { restricted: ctx.restricted })[3]!;
    expect(await sameAnswer(q, ids, { ...ctx, isNotMigrated: (id) => id === one })).toBeNull();
    expect((await sameAnswer(q, ids, { ...ctx, isNotMigrated: (id) => id === `${one}x` }))?.records).toBe(ids.length);
    const sar = generateWorkload(oracle, { perCapability: 1, capabilities: ['S20'], seed: 3 }).queries[0]!;
    expect(await sameAnswer(sar, legacyIds(sar), ctx)).toBeNull();
  });
});

describe('the SQL search read in pieces', () => {
  it('gives the same ids as a whole search, in pieces of at most the size asked, and agrees piece by piece', async () => {
    let pieced = 0;
    for (const q of queries) {
      const whole = await search.search(q.capability, q.params);
      const pieces: string[][] = [];
      for await (const p of search.searchPieces(q.capability, q.params, 5)) pieces.push(p);
      expect(pieces.every((p) => p.length >= 1 && p.length <= 5)).toBe(true);
      expect(pieces.flat().sort()).toEqual([...whole].sort());
      if (pieces.length > 2) pieced++;
      const fromPieces = await sameAnswer(q, search.searchPieces(q.capability, q.params, 5), ctx);
      expect(fromPieces).toEqual(await sameAnswer(q, whole, ctx));
    }
    expect(pieced).toBeGreaterThan(10);
  });

  it('closes the cursor when the reader stops early, and the pool still answers', async () => {
    const q = wideQuery(20);
    // more early stops than the pool has connections: a connection left mid-cursor would hang here
    for (let k = 0; k < 10; k++) {
      for await (const p of search.searchPieces(q.capability, q.params, 3)) {
        expect(p.length).toBe(3);
        break;
      }
    }
    expect((await search.search(q.capability, q.params)).length).toBe(legacyIds(q).length);
    // a swapped record stops the reading at its piece
    const ids = legacyIds(q);
    expect(await sameAnswer(q, (async function* () { yield ids.slice(0, 3); yield ['00000000-0000-4000-8000-000000000001']; yield ids.slice(3); })(), ctx)).toBeNull();
  });

  it('throws at once for a capability the adapter cannot run', async () => {
    expect(() => search.searchPieces('S99' as never, {}, 5)).toThrow(/unknown capability/);
  });
});
