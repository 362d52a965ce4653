// Stored results on disk for the typed-results tests: one fixture target, every check stored clean
// through saveResult (as the checks store them), and edits of the stored JSON as another version of
// the tool, or a hand, would leave it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { saveResult, bindingOf, targetResultsDir } from '../../src/report/store.ts';
import type { TargetNow } from '../../src/report/target.ts';
import * as F from './fixtures.ts';

export const TARGET: TargetNow = { identity: { systemIdentifier: '7000000000000000002', database: 'typed' }, id: '7000000000000000002-typed', state: { epoch: 'e', changes: 3, lastChangeAt: null }, untracked: [], auditHead: null };
export const BOUND = bindingOf(TARGET);

export const storedFile = (kind: string) => path.join(targetResultsDir(TARGET.id), `${kind}.json`);

/** Every check stored clean. */
export function storeClean() {
  for (const [kind, stored] of Object.entries(F.cleanResults())) saveResult(BOUND, kind as never, stored!.ok, stored!.result);
}

/** Edit a stored file's whole JSON (envelope and result). */
export function editEnvelope(kind: string, edit: (json: { kind: string; result: Record<string, any> }) => void) {
  const json = JSON.parse(readFileSync(storedFile(kind), 'utf8'));
  edit(json);
  writeFileSync(storedFile(kind), JSON.stringify(json, null, 2));
}

/** Edit a stored result (the `result` of the envelope). */
export const editStored = (kind: string, edit: (result: Record<string, any>) => void) => editEnvelope(kind, (json) => edit(json.result));

/** Rename a field, as a writer that spells it otherwise would store it. */
export const rename = (o: Record<string, any>, from: string, to: string) => {
  o[to] = o[from];
  delete o[from];
};
