// `cutover parity --differences FILE`: every query with a difference, as it is run — capability,
// the kind of query, its parameters as a keyed hash (never the values), the record references
// found by one side only, or why the target could not answer. CSV or JSON Lines by extension.
import { LineFile } from '../report/line-file.ts';
import { keyedRef, queryKind } from '../report/refs.ts';
import { scrubMessage } from '../report/board-safe.ts';
import type { QueryDifference } from './metrics.ts';

export const PARITY_DIFFERENCE_COLUMNS = ['capability', 'query_kind', 'params_ref', 'origin', 'note', 'legacy_only', 'target_only', 'error'] as const;

function shaped(d: QueryDifference) {
  const q = d.query;
  return {
    capability: q.capability, queryKind: queryKind(q.params), paramsRef: keyedRef(q.params), origin: q.origin, note: q.note ?? null,
    legacyOnly: d.legacyOnly, targetOnly: d.targetOnly, error: d.error === null ? null : scrubMessage(d.error, q.params),
  };
}

export class ParityDifferencesFile extends LineFile<QueryDifference> {
  constructor(file: string) {
    super(file, {
      columns: PARITY_DIFFERENCE_COLUMNS,
      cells: (d) => {
        const s = shaped(d);
        return [s.capability, s.queryKind, s.paramsRef, s.origin, s.note, s.legacyOnly.join(' '), s.targetOnly.join(' '), s.error];
      },
      json: shaped,
    });
  }
}
