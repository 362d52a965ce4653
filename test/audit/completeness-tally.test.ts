// The gap tally's bookkeeping, without a database: legacyPass hands back an earlier occurrence of
// a repeated legacy id with sign -1, and everything it counted must go, examples included.
import { describe, it, expect } from 'vitest';
import { GapTally } from '../../src/audit/completeness.ts';
import type { CanonicalRow } from '../../src/audit/canonical.ts';
import type { Joined, TargetRow } from '../../src/audit/legacy-pass.ts';

const row = (operation: string, justification: string | null, recipient: string | null = null) =>
  ({ operation, actor: 'AB1234', justification, recipient }) as unknown as CanonicalRow;
const joined = (id: string, legacy: CanonicalRow | null, target: Array<Partial<TargetRow>>): Joined => ({
  e: { system: 'CRIMINT', key: id, ordinal: 0, id, action: 'VIEW', month: '2019-03', row: legacy } as Joined['e'],
  target: target as TargetRow[],
  quarantineRecorded: false,
});
const gap = (t: GapTally, g: string, op: string) => t.gaps.find((x) => x.gap === g && x.operation === op)!;

describe('audit completeness tally', () => {
  it('counts where each gap stands, and takes back every count and example of a superseded occurrence', () => {
    const t = new GapTally(20);
    const blankLegacy = joined('A1', row('consultation', '  '), []); // no reason, and not in the target
    const lostInTarget = joined('A2', row('consultation', 'Op X'), [{ actor: 'AB1234', justification: null, recipient: null }]);
    const disclosure = joined('A3', row('disclosure', 'NCA request', 'NCA'), [{ actor: 'AB1234', justification: 'NCA request', recipient: '' }]);
    for (const j of [blankLegacy, lostInTarget, disclosure]) t.visit(j, 1);
    t.visit(joined('Q1', null, []), 1);

    expect(gap(t, 'justification', 'consultation')).toMatchObject({ legacyMissing: 1, lostInMigration: 1 });
    expect(gap(t, 'justification', 'consultation').examples).toEqual([
      { system: 'CRIMINT', key: 'A1', kind: 'legacyMissing' },
      { system: 'CRIMINT', key: 'A2', kind: 'lostInMigration', why: 'blank in target' },
    ]);
    expect(gap(t, 'recipient', 'disclosure')).toMatchObject({ legacyMissing: 0, lostInMigration: 1 });
    expect(gap(t, 'actor', 'consultation')).toMatchObject({ legacyMissing: 0, lostInMigration: 1 }); // A1 has no target row
    expect(t.missingInTarget).toBe(1);
    expect(t.quarantinedSkipped).toBe(1);

    // A1 and A2 turn out to be earlier occurrences of repeated ids: undone, examples and all
    t.visit(blankLegacy, -1);
    t.visit(lostInTarget, -1);
    t.visit(joined('Q1', null, []), -1);
    expect(gap(t, 'justification', 'consultation')).toMatchObject({ legacyMissing: 0, lostInMigration: 0, examples: [] });
    expect(gap(t, 'actor', 'consultation')).toMatchObject({ legacyMissing: 0, lostInMigration: 0, examples: [] });
    expect(gap(t, 'recipient', 'disclosure')).toMatchObject({ lostInMigration: 1 });
    expect(t.missingInTarget).toBe(0);
    expect(t.quarantinedSkipped).toBe(0);
  });

  it('keeps at most the given number of examples per gap and kind, and counts them all', () => {
    const t = new GapTally(2);
    for (let i = 0; i < 5; i++) t.visit(joined(`B${i}`, row('consultation', null), [{ actor: 'AB1234', justification: null, recipient: null }]), 1);
    const j = gap(t, 'justification', 'consultation');
    expect(j.legacyMissing).toBe(5);
    expect(j.examples.map((x) => x.key)).toEqual(['B0', 'B1']);
  });
});
