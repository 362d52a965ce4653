// Metrics and verdicts on hand-built (oracle, target) result pairs.
import { describe, it, expect } from 'vitest';
import { capabilityMetrics, notMigratedMatcher, percentile, type QueryOutcome } from '../../src/parity/metrics.ts';
import type { Query } from '../../src/parity/types.ts';

const q = (params: Record<string, unknown>, note?: string, origin: Query['origin'] = 'generated'): Query => ({ capability: 'S01', params, origin, ...(note ? { note } : {}) });
const t = (...ids: string[]) => ids.map((identity) => ({ identity, targetId: `tid-${identity}` }));
const ok = (query: Query, oracle: string[], target: string[], latencyMs = 1): QueryOutcome => ({ query, oracle, target: t(...target), latencyMs });

describe('capabilityMetrics', () => {
  it('PARITY when every query has recall 1 and precision 1', () => {
    const r = capabilityMetrics('S01', [
      ok(q({ surname: 'A' }), ['X:1', 'X:2'], ['X:2', 'X:1'], 10),
      ok(q({ surname: 'B' }), [], [], 20),
      ok(q({ surname: 'C' }, undefined, 'replayed'), ['X:3'], ['X:3'], 30),
    ]);
    expect(r).toMatchObject({
      id: 'S01', name: 'Nominal, exact name', verdict: 'PARITY', queries: 3,
      byOrigin: { generated: 2, replayed: 1, workload: 0 },
      recall: { mean: 1, worst: 1 }, precision: 1, precisionWorst: 1, volumeRatio: 1,
      oracleResults: 3, targetResults: 3, latencyMs: { p50: 20, p95: 30 }, queriesShort: 0, notMigrated: 0, examples: [], errors: [],
    });
  });

  it('DEGRADED: recall, precision, volume ratio and worked examples of lost and extra records', () => {
    const r = capabilityMetrics(
      'S01',
      [
        // recall 1/2, precision 1/1
        ok(q({ surname: 'A' }, 'soundex-misspelling'), ['X:1', 'X:2'], ['X:1']),
        // recall 1, precision 2/4
        ok(q({ surname: 'B' }, 'alias'), ['X:3', 'X:4'], ['X:3', 'X:4', 'X:5', 'X:6']),
        // recall 0 (3 lost), precision 1 (no target results)
        ok(q({ surname: 'C' }, 'soundex-misspelling'), ['X:7', 'X:8', 'X:9'], []),
        ok(q({ surname: 'D' }), ['X:10'], ['X:10']),
      ],
      { describe: (id) => `record ${id}`, maxExamples: 2 },
    );
    expect(r.verdict).toBe('DEGRADED');
    expect(r.recall).toEqual({ mean: 0.625, worst: 0 }); // (0.5 + 1 + 0 + 1) / 4
    expect(r.precision).toBe(0.875); // (1 + 0.5 + 1 + 1) / 4
    expect(r.precisionWorst).toBe(0.5);
    expect(r.volumeRatio).toBe(0.75); // (1 + 4 + 0 + 1) / (2 + 2 + 3 + 1)
    expect(r.queriesShort).toBe(3);
    expect(r.shortByNote).toEqual({ 'soundex-misspelling': 2, alias: 1 });
    // the first lost record of each query first, then extras
    expect(r.examples).toEqual([
      { kind: 'lost', query: { capability: 'S01', params: { surname: 'A' }, origin: 'generated', note: 'soundex-misspelling' }, identity: 'X:2', description: 'record X:2' },
      { kind: 'lost', query: { capability: 'S01', params: { surname: 'C' }, origin: 'generated', note: 'soundex-misspelling' }, identity: 'X:7', description: 'record X:7' },
      { kind: 'extra', query: { capability: 'S01', params: { surname: 'B' }, origin: 'generated', note: 'alias' }, identity: 'X:5', targetId: 'tid-X:5', description: 'record X:5' },
      { kind: 'extra', query: { capability: 'S01', params: { surname: 'B' }, origin: 'generated', note: 'alias' }, identity: 'X:6', targetId: 'tid-X:6', description: 'record X:6' },
    ]);
  });

  it('not-migrated records are excluded from recall, counted and shown', () => {
    const nm = notMigratedMatcher(new Set(['CRIMINT:nominals.json:N1', 'CRIS:NOMINAL:7']));
    const r = capabilityMetrics(
      'S01',
      [
        ok(q({ surname: 'A' }), ['CRIS:NOMINAL:7', 'CRIS:NOMINAL:8'], ['CRIS:NOMINAL:8']),
        ok(q({ surname: 'B' }), ['CRIS:NOMINAL:7'], []),
        ok(q({ surname: 'C' }), ['CRIMINT:nominals.json:N1/aliases/0', 'CRIMINT:nominals.json:N1'], []),
      ],
      { notMigrated: nm, describe: () => 'quarantined' },
    );
    expect(r.verdict).toBe('PARITY');
    expect(r.recall).toEqual({ mean: 1, worst: 1 });
    expect(r.notMigrated).toBe(3);
    expect(r.notMigratedExamples.map((e) => e.identity).sort()).toEqual(['CRIMINT:nominals.json:N1', 'CRIMINT:nominals.json:N1/aliases/0', 'CRIS:NOMINAL:7']);
    expect(r.volumeRatio).toBe(1);
  });

  it('with the reachable answer given, the rest of the oracle answer is accounted as not migrated', () => {
    const r = capabilityMetrics('S17', [
      // E:2 was found through a quarantined nominal: the target cannot have it
      { ...ok(q({ nominal: 'N1' }), ['E:1', 'E:2'], ['E:1']), reachable: ['E:1'] },
      { ...ok(q({ nominal: 'N2' }), ['E:3'], []), reachable: ['E:3'] },
    ]);
    expect(r.notMigrated).toBe(1);
    expect(r.recall).toEqual({ mean: 0.5, worst: 0 });
    expect(r.examples.map((e) => [e.kind, e.identity])).toEqual([['lost', 'E:3']]);
  });

  it('a target that repeats one record and misses another is short, though the counts agree', () => {
    const r = capabilityMetrics('S01', [ok(q({ surname: 'A' }), ['X:1', 'X:2'], ['X:1', 'X:1'])]);
    expect(r.verdict).toBe('DEGRADED');
    expect(r.recall).toEqual({ mean: 0.5, worst: 0.5 });
    expect(r.examples.map((e) => [e.kind, e.identity])).toEqual([['lost', 'X:2']]);
  });

  it('a not-migrated record the target returns anyway is neither lost nor extra, whichever way not-migrated is known', () => {
    const nm = notMigratedMatcher(new Set(['CRIS:NOMINAL:7']));
    const byMatcher = capabilityMetrics('S01', [ok(q({ surname: 'A' }), ['CRIS:NOMINAL:7', 'CRIS:NOMINAL:8'], ['CRIS:NOMINAL:7', 'CRIS:NOMINAL:8'])], { notMigrated: nm });
    const byReachable = capabilityMetrics('S01', [{ ...ok(q({ surname: 'A' }), ['CRIS:NOMINAL:7', 'CRIS:NOMINAL:8'], ['CRIS:NOMINAL:8', 'CRIS:NOMINAL:7']), reachable: ['CRIS:NOMINAL:8'] }]);
    // as the runner gives it: asked for only when needed
    let asked = 0;
    const lazy = (target: string[]) => capabilityMetrics('S01', [{ ...ok(q({ surname: 'A' }), ['CRIS:NOMINAL:7', 'CRIS:NOMINAL:8'], target), reachable: () => (asked++, ['CRIS:NOMINAL:8']) }], { notMigrated: nm });
    for (const r of [byMatcher, byReachable, lazy(['CRIS:NOMINAL:8', 'CRIS:NOMINAL:7'])]) {
      expect(r).toMatchObject({ verdict: 'PARITY', notMigrated: 1, oracleResults: 1, targetResults: 2, examples: [] });
    }
    expect(asked).toBe(1);
    expect(lazy(['CRIS:NOMINAL:8'])).toMatchObject({ verdict: 'PARITY', notMigrated: 1, oracleResults: 1, targetResults: 1 });
    expect(asked).toBe(2);
  });

  it('a reachable answer given as a function is not asked for when both sides are the same records and none is known as not migrated', () => {
    let asked = 0;
    const reachable = () => (asked++, ['E:1']);
    const same = capabilityMetrics('S17', [{ ...ok(q({ nominal: 'N1' }), ['E:1', 'E:2'], ['E:2', 'E:1']), reachable }]);
    expect(same).toMatchObject({ verdict: 'PARITY', notMigrated: 0, oracleResults: 2, targetResults: 2 });
    expect(asked).toBe(0);
    // the sides differ: asked, and E:2 (reached through a record not migrated) is accounted as such
    const short = capabilityMetrics('S17', [{ ...ok(q({ nominal: 'N1' }), ['E:1', 'E:2'], ['E:1']), reachable }]);
    expect(short).toMatchObject({ verdict: 'PARITY', notMigrated: 1, oracleResults: 1, targetResults: 1 });
    expect(asked).toBe(1);
  });

  it('LOST when the adapter does not support the capability', () => {
    const r = capabilityMetrics('S01', [{ query: q({ surname: 'A' }), oracle: ['X:1'], target: null, latencyMs: 0, notSupported: true, error: 'S01 is not supported' }]);
    expect(r.verdict).toBe('LOST');
    expect(r.errors).toEqual([{ query: { capability: 'S01', params: { surname: 'A' }, origin: 'generated' }, message: 'S01 is not supported' }]);
  });

  it('LOST when a target call fails, even if others agree', () => {
    const r = capabilityMetrics('S01', [
      ok(q({ surname: 'A' }), ['X:1'], ['X:1']),
      { query: q({ surname: 'B' }), oracle: ['X:2'], target: null, latencyMs: 5, error: 'connection reset' },
    ]);
    expect(r.verdict).toBe('LOST');
    expect(r.warnings).toEqual(['1 of 2 target calls failed']);
    expect(r.recall).toEqual({ mean: 1, worst: 1 });
  });

  it('volume ratio is null when the oracle found nothing and the target did', () => {
    const r = capabilityMetrics('S01', [ok(q({ surname: 'A' }), [], ['X:1'])]);
    expect(r.volumeRatio).toBeNull();
    expect(r.precision).toBe(0);
    expect(r.recall).toEqual({ mean: 1, worst: 1 });
    expect(r.verdict).toBe('DEGRADED');
  });

  it('no queries: PARITY with a warning that it is no evidence', () => {
    const r = capabilityMetrics('S01', []);
    expect(r.verdict).toBe('PARITY');
    expect(r.warnings).toEqual(['no queries: the verdict is not evidence']);
  });
});

describe('percentile', () => {
  it('nearest rank', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(10);
    expect(percentile(xs, 95)).toBe(19);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});
