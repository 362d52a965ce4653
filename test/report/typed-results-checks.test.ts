// Stored parity, audit and privacy results are read as their schemas parse them (src/parity/stored.ts,
// src/audit/stored.ts, src/privacy/stored.ts): a count renamed on disk makes the result unreadable,
// and the gate fails `results-readable` naming the field, where the lenient reader read the
// renamed count as clean, or guessed it from another field.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runGate, loadStoredResults } from '../../src/report/index.ts';
import { TARGET, storeClean, editStored, rename } from './stored-on-disk.ts';

function gateOf() {
  const { summary, gate } = runGate({ results: loadStoredResults(TARGET.id) });
  const criterion = (id: string) => gate.criteria.find((c) => c.id === id)!;
  return { summary, gate, criterion };
}

describe('typed parity, audit and privacy results', () => {
  beforeEach(() => {
    process.env.CUTOVER_RESULTS_DIR = path.join(mkdtempSync(path.join(tmpdir(), 'cutover-typed-')), 'results');
    storeClean();
  });

  it('the stored results as saved are readable, and parity, audit and deletion read clean', () => {
    const { summary, criterion } = gateOf();
    for (const kind of ['parity', 'audit-verify', 'audit-reconcile', 'audit-completeness', 'erasure', 'residual-scan', 'sar'] as const) {
      expect([kind, summary.checks.find((c) => c.kind === kind)!.unreadable]).toEqual([kind, null]);
    }
    for (const id of ['search-parity', 'audit-chain', 'audit-anchors', 'audit-no-loss', 'residual-scan-clean', 'sar-parity']) expect([id, criterion(id).ok]).toEqual([id, true]);
  });

  it('a parity result with a capability\'s query count renamed is unreadable, not a capability at PARITY', () => {
    editStored('parity', (r) => rename(r.capabilities[0], 'queries', 'queryCount'));
    const { summary, gate, criterion } = gateOf();
    expect(gate.go).toBe(false);
    const readable = criterion('results-readable');
    expect(readable.ok).toBe(false);
    expect(readable.reason).toMatch(/unreadable: parity \(.*capabilities\.0\.queries: /);
    expect(readable.reason).toContain('`cutover parity`');
    expect(summary.checks.find((c) => c.kind === 'parity')).toMatchObject({ present: true, ok: false, unreadable: expect.stringContaining('capabilities.0.queries') });
    // nothing of it is read: no capability counts as checked
    expect(summary.areas.searchParity).toMatchObject({ light: 'red', capabilities: [], queries: null });
    expect(criterion('search-parity').ok).toBe(false);
  });

  it('a residual scan with its hit count renamed is unreadable, its hits not guessed from the ones listed', () => {
    editStored('residual-scan', (r) => {
      // 5 traces found, the first 2 listed
      r.hits = [{ table: 'migration.quarantine', column: 'raw', key: { id: '1' }, kind: 'pnc' }, { table: 'record.person', column: 'surname', key: { id: '2' }, kind: 'surname+dob' }];
      r.hitCount = 5;
      r.truncated = true;
      r.ok = false;
      rename(r, 'hitCount', 'hitsCount');
    });
    const { summary, criterion } = gateOf();
    const readable = criterion('results-readable');
    expect(readable.ok).toBe(false);
    expect(readable.reason).toMatch(/unreadable: residual-scan \(.*hitCount: /);
    expect(summary.areas.deletion.residualScan).toMatchObject({ ran: true, ok: false, hits: null, examples: [] });
    expect(criterion('residual-scan-clean').ok).toBe(false);
  });

  it('an audit completeness result with a gap\'s lost count renamed is unreadable, not 0 lost', () => {
    editStored('audit-completeness', (r) => rename(r.gaps[0], 'lostInMigration', 'lost'));
    const { summary, criterion } = gateOf();
    expect(criterion('results-readable')).toMatchObject({ ok: false, reason: expect.stringMatching(/unreadable: audit-completeness \(.*gaps\.0\.lostInMigration: /) });
    expect(summary.areas.auditHistory.completeness.lostInMigration).toBeNull();
    expect(summary.areas.auditHistory.light).toBe('red');
    expect(criterion('audit-no-loss')).toMatchObject({ ok: false, reason: 'the audit result does not say how many: lost in migration' });
  });
});
