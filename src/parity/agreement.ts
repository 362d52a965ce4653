// Whether the target's answer to a query is the oracle's, checked a piece at a time.
//
// Most parity queries agree, and the widest (S14 for a common word: ~170,000 records at scale
// 200,000) agree too. Comparing them as two lists of identity strings held whole made one
// query's answer the part of the parity run that grew with the extract. Here the oracle's answer
// stays a set of slots; the target's ids are read (searchPieces) and mapped through lineage a
// piece at a time, and each identity takes its slot out of the set. The check is exact: it says "the same" only when every
// target record is one of the oracle's and none of the oracle's is left over. Anything else,
// and every S20 answer (several kinds of record), goes to the full comparison of metrics.ts,
// which finds what differs.
import type { IdentityMapper } from './lineage.ts';
import type { Oracle, RunOptions, Single, SlotTable } from './oracle.ts';
import type { Query } from './types.ts';

/** Target ids mapped and checked per piece. */
export const AGREEMENT_PIECE = 10_000;

export interface AgreementContext {
  oracle: Oracle;
  mapper: IdentityMapper;
  /** Restricted records, excluded from the legacy answer as in the full comparison. */
  restricted: RunOptions['restricted'];
  /** A legacy record the target cannot have: when the answers hold one, the full comparison accounts for it. */
  isNotMigrated: (identity: string) => boolean;
  piece?: number;
}

/**
 * The number of records both sides found when the target returned exactly the oracle's answer
 * (each record once, none known as not migrated); null when they may differ or the query is S20.
 * The target's ids come whole or in pieces (TargetSearchAdapter.searchPieces); a whole answer is
 * checked `piece` ids at a time. A difference stops the reading (a cursor is closed).
 */
export async function sameAnswer(query: Query, target: readonly string[] | AsyncIterable<string[]>, ctx: AgreementContext): Promise<number | null> {
  if (query.capability === 'S20') return null;
  let found: { table: SlotTable; slots: Set<number>; records: number } | null = null;
  const answer = () => {
    const { table, slots } = ctx.oracle.findSlots(query.capability as Single, query.params, { restricted: ctx.restricted });
    return { table, slots, records: slots.size };
  };
  for await (const ids of isArray(target) ? inPieces(target, ctx.piece ?? AGREEMENT_PIECE) : target) {
    // the piece's lineage lookup runs on the server while the oracle answers (first piece) or waits
    const mapping = ctx.mapper.map(ids);
    mapping.catch(() => {}); // awaited just below, unless the oracle throws first
    found ??= answer();
    const { table, slots } = found;
    for (const r of await mapping) {
      const slot = ctx.oracle.slotOf(table, r.identity);
      // not the oracle's, or the same record twice (a repeated id in one piece is mapped once,
      // as the full comparison does; across pieces it shows here and is settled there)
      if (slot === undefined || !slots.delete(slot) || ctx.isNotMigrated(r.identity)) return null;
    }
  }
  found ??= answer();
  return found.slots.size === 0 ? found.records : null;
}

const isArray = (t: readonly string[] | AsyncIterable<string[]>): t is readonly string[] => Array.isArray(t);

function* inPieces(ids: readonly string[], piece: number): Generator<string[]> {
  for (let at = 0; at < ids.length; at += piece) yield ids.slice(at, at + piece);
}
