// S19: who accessed a record (search-catalog.md). The log outlives the data: entries are found
// by the reference they name, whether the event is live, restricted, deleted or erased.
import { refKey } from './keys.ts';
import { ids, localMidnight, type Impl } from './sql.ts';

/** A legacy audit entry's target id: `audit:<origin>:<legacy_audit_id>` (src/parity/types.ts). */
export const AUDIT_ID_SQL = `'audit:' || a.origin || ':' || a.legacy_audit_id`;

/**
 * S19: consultation and disclosure entries about an event whose reference matches as in S13,
 * occurring in [from, to) (local dates), as legacy audit ids.
 */
export const S19: Impl<'S19'> = (p) =>
  ids(
    `SELECT ${AUDIT_ID_SQL} AS id FROM audit.event a
      WHERE search.ref_key(a.entity_ref) = $1
        AND a.operation IN ('consultation', 'disclosure') AND a.legacy_audit_id IS NOT NULL
        AND a.entity_type = 'event'
        AND a.occurred_at >= ${localMidnight('$2')} AND a.occurred_at < ${localMidnight('$3')}`,
    [refKey(p.reference), p.from, p.to],
  );
