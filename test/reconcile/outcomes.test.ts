// The outcome decision on its own: what a record's claim in the target means, given the outcome the
// mapping expects (verdictOf). Pure: no database. reconcile.test.ts holds the checker that uses it
// to a corrupted target.
import { describe, expect, it } from 'vitest';
import { MISMATCH, OUTCOME_CASES, verdictOf, type ClaimKind, type Verdict } from '../../src/reconcile/outcomes.ts';
import type { Expected } from '../../src/reconcile/expected.ts';

const loaded: Expected = { kind: 'loaded', rows: [], links: [] };
const quarantined = (code: string): Expected => ({ kind: 'quarantined', code, field: null });
const excluded = (reason: string): Expected => ({ kind: 'excluded', reason });
const ERASED = 'erased on the new platform';

type Example = [why: string, claim: ClaimKind | null, detail: string | null, exp: Expected, linkOnly: boolean, erased: boolean, verdict: Verdict];

const EXAMPLES: Example[] = [
  // no outcome recorded
  ['a loaded link record has no lineage', null, null, loaded, true, false, { count: 'loaded', live: true }],
  ['… even with an erasure token (a link step asks for none)', null, null, loaded, true, true, { count: 'loaded', live: true }],
  ['a loaded record erased on the platform', null, null, loaded, false, true, { count: 'erased', live: false, state: ERASED }],
  ['a loaded record with no outcome', null, null, loaded, false, false, { count: 'unaccounted', live: true }],
  ['a quarantined record with no outcome', null, null, quarantined('bad_date'), false, false, { count: 'unaccounted', live: false }],
  ['an excluded record with no outcome, token or not', null, null, excluded('legacy_deleted'), false, true, { count: 'unaccounted', live: false }],
  ['an excluded link record with no outcome', null, null, excluded('legacy_deleted'), true, false, { count: 'unaccounted', live: false }],
  // superseded, whatever was expected (its later copy is checked as it arrives)
  ['a superseded copy of a loaded record', 'superseded', null, loaded, false, false, { count: 'superseded', live: false, state: 'superseded by a later copy' }],
  ['a superseded copy of a quarantined link record', 'superseded', null, quarantined('bad_date'), true, false, { count: 'superseded', live: false, state: 'superseded by a later copy' }],
  // loaded
  ['loaded as expected (detail is the target id)', 'loaded', '3f1c…', loaded, false, false, { count: 'loaded', live: true }],
  ['a link record loaded as expected', 'loaded', null, loaded, true, false, { count: 'loaded', live: true }],
  ['loaded, expected in quarantine', 'loaded', '3f1c…', quarantined('bad_date'), false, false, MISMATCH],
  ['loaded, expected excluded', 'loaded', '3f1c…', excluded('legacy_deleted'), false, false, MISMATCH],
  // quarantined
  ['quarantined with the expected code', 'quarantined', 'bad_date', quarantined('bad_date'), false, false, { count: 'quarantined', live: false }],
  ['quarantined with the wrong code', 'quarantined', 'missing_key', quarantined('bad_date'), false, false, MISMATCH],
  ['quarantined with no code', 'quarantined', null, quarantined('bad_date'), false, false, MISMATCH],
  ['quarantined, expected loaded', 'quarantined', 'bad_date', loaded, false, false, MISMATCH],
  ['quarantined, expected excluded for the same word', 'quarantined', 'erased', excluded('erased'), false, false, MISMATCH],
  ['a link record whose link is an orphan', 'quarantined', 'orphan_link', loaded, true, false, { count: 'quarantined', live: true, state: 'quarantined (orphan_link)' }],
  ['an orphan link claimed for a record step', 'quarantined', 'orphan_link', loaded, false, false, MISMATCH],
  ['an orphan link claimed where another quarantine is expected', 'quarantined', 'orphan_link', quarantined('bad_date'), true, false, MISMATCH],
  ['a link record quarantined for another reason', 'quarantined', 'bad_date', loaded, true, false, MISMATCH],
  // excluded
  ['excluded for the expected reason', 'excluded', 'legacy_deleted', excluded('legacy_deleted'), false, false, { count: 'excluded', live: false }],
  ['excluded for the wrong reason', 'excluded', 'out_of_scope', excluded('legacy_deleted'), false, false, MISMATCH],
  ['excluded, expected in quarantine with that code', 'excluded', 'bad_date', quarantined('bad_date'), false, false, MISMATCH],
  ['excluded as erased, expected loaded', 'excluded', 'erased', loaded, false, false, { count: 'excluded', live: false, state: ERASED }],
  ['a link record excluded as erased', 'excluded', 'erased', loaded, true, false, { count: 'excluded', live: false, state: ERASED }],
  ['excluded as erased, expected so', 'excluded', 'erased', excluded('erased'), false, false, { count: 'excluded', live: false }],
  ['excluded as erased, expected in quarantine', 'excluded', 'erased', quarantined('bad_date'), false, false, MISMATCH],
  ['excluded for another reason, expected loaded', 'excluded', 'legacy_deleted', loaded, false, false, MISMATCH],
];

describe('verdictOf: what a claim means', () => {
  it.each(EXAMPLES)('%s', (_why, claim, detail, exp, linkOnly, erased, verdict) => {
    expect(verdictOf(claim, detail, exp, linkOnly, erased)).toEqual(verdict);
  });

  it('reaches every case of the table, and the mismatch fallthrough', () => {
    const reached = new Set(EXAMPLES.map(([, claim, detail, exp, linkOnly, erased]) => verdictOf(claim, detail, exp, linkOnly, erased)));
    for (const k of OUTCOME_CASES) expect(reached.has(k.verdict), JSON.stringify(k)).toBe(true);
    expect(reached.has(MISMATCH)).toBe(true);
  });

  it('hands out the table\'s own verdicts, which cannot be changed', () => {
    const v = verdictOf('loaded', null, loaded, false, false);
    expect(v).toBe(OUTCOME_CASES.find((k) => k.claim === 'loaded')!.verdict);
    expect(OUTCOME_CASES.every((k) => Object.isFrozen(k.verdict)) && Object.isFrozen(MISMATCH)).toBe(true);
  });
});
