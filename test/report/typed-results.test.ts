// Typed stored results (issue 20): each check's result is parsed with its own schema when it is
// stored and when it is loaded. A result that does not parse — not JSON, another kind's envelope,
// or a count renamed — is "unreadable": the summary names it and the gate fails results-readable,
// where the lenient readers used to guess a spelling or read an absent count as 0.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runGate, loadStoredResults } from '../../src/report/index.ts';
import { saveResult, loadResult, UnreadableResultError } from '../../src/report/store.ts';
import { RESULT_SCHEMAS } from '../../src/report/result-schemas.ts';
import { RESULT_KINDS } from '../../src/report/kinds.ts';
import { boardSafe } from '../../src/report/board-safe.ts';
import * as F from './fixtures.ts';
import { TARGET, BOUND, storeClean, storedFile, editEnvelope } from './stored-on-disk.ts';

const readable = () => runGate({ results: loadStoredResults(TARGET.id) }).gate.criteria.find((c) => c.id === 'results-readable')!;

describe('typed stored results', () => {
  beforeEach(() => {
    process.env.CUTOVER_RESULTS_DIR = path.join(mkdtempSync(path.join(tmpdir(), 'cutover-typed-')), 'results');
    storeClean();
  });

  it('every kind has a schema, and every clean result parses with it: results-readable passes', () => {
    expect(Object.keys(RESULT_SCHEMAS).sort()).toEqual([...RESULT_KINDS].sort());
    const results = loadStoredResults(TARGET.id);
    for (const k of RESULT_KINDS) expect(results[k], k).toBeTruthy();
    expect(readable()).toMatchObject({ ok: true, actual: 0 });
    expect(runGate({ results }).gate.go).toBe(true);
  });

  it('a file that is not JSON, or holds another kind, is unreadable, named, and fails the gate', () => {
    writeFileSync(storedFile('parity'), '{"kind": "parity", "ok": tr');
    editEnvelope('sar', (j) => { j.kind = 'erasure'; });
    expect(() => loadResult('parity', TARGET.id)).toThrow(UnreadableResultError);
    const { summary, gate } = runGate({ results: loadStoredResults(TARGET.id) });
    expect(summary.checks.find((c) => c.kind === 'parity')).toMatchObject({ present: true, ok: false, unreadable: expect.stringMatching(/parity\.json: not JSON/) });
    expect(summary.checks.find((c) => c.kind === 'sar')!.unreadable).toMatch(/holds a erasure result, not sar/);
    const c = gate.criteria.find((x) => x.id === 'results-readable')!;
    expect(c).toMatchObject({ ok: false, actual: '2 unreadable' });
    expect(c.reason).toMatch(/Run again: `cutover parity`, `cutover sar … --parity`/);
    expect(gate.go).toBe(false);
  });

  it('a renamed count (retention overdueTotal → overdue) is unreadable, never read as 0 overdue', () => {
    editEnvelope('retention', (j) => { j.result.overdue = j.result.overdueTotal; delete j.result.overdueTotal; });
    expect(() => loadResult('retention', TARGET.id)).toThrow(/retention result does not match its schema: overdueTotal: /);
    const c = readable();
    expect(c.ok).toBe(false);
    expect(c.reason).toMatch(/retention \(.*overdueTotal/);
  });

  it('a result that does not fit its own schema is refused when stored, and nothing is written', () => {
    const before = readFileSync(storedFile('retention'), 'utf8');
    expect(() => saveResult(BOUND, 'retention', true, { asOf: '2026-12-06', groups: [] })).toThrow(/internal: the retention result does not fit its own schema, so it is not stored \(.*overdueTotal/);
    expect(readFileSync(storedFile('retention'), 'utf8')).toBe(before);
  });

  it('board-safe twice is board-safe once: a carried parity (parity --delta stores the full one again) keeps its references', () => {
    const once = boardSafe('parity', F.parityResult({ S02: 'LOST', S14: 'DEGRADED' }));
    const examples = (once as { capabilities: Array<{ examples: Array<Record<string, unknown>> }> }).capabilities.flatMap((c) => c.examples);
    expect(examples.length).toBeGreaterThan(0);
    for (const x of examples) expect(x).toMatchObject({ capability: expect.stringMatching(/^S\d\d$/), paramsRef: expect.any(String) });
    expect(boardSafe('parity', once)).toEqual(once);
  });
});
