// Contracts of the search-parity check (search-catalog.md).
//
// Identity: a legacy record is named `SYSTEM:ENTITY:KEY`, the same string its target id is
// derived from (src/core/ids.ts): `CRIS:NOMINAL:12345`, `CRIMINT:nominals.json:N0001234/addresses/0`.
// Audit entries (S19, S20's disclosures) are `CRIS:AUDIT_TRAIL:<AUDIT_ID>` and `CRIMINT:audit.json:<id>`.
// The oracle returns identities; a target adapter returns target ids, which the parity runner maps
// to identities through migration.lineage (audit entries through origin + legacy_audit_id).

export const CAPABILITY_IDS = [
  'S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09', 'S10',
  'S11', 'S12', 'S13', 'S14', 'S15', 'S16', 'S17', 'S18', 'S19', 'S20',
] as const;
export type CapabilityId = (typeof CAPABILITY_IDS)[number];

export interface Query {
  capability: CapabilityId;
  params: Record<string, unknown>;
  /** where the query came from: replayed legacy SEARCH audit, generated, or a --workload file */
  origin: 'replayed' | 'generated' | 'workload';
  /** a short label for hard cases (e.g. `soundex-misspelling`, `district-SE1-vs-SE10`) */
  note?: string;
}

/** The capability cannot run on this target (verdict LOST). */
export class NotSupportedError extends Error {
  override name = 'NotSupportedError';
}

/** A target search: the default SQL adapter (mappings/search), the HTTP adapter, or a test profile. */
export interface TargetSearchAdapter {
  readonly name: string;
  /**
   * Run one query. Returns target ids: record uuids for S01–S18 and S20's records; for audit
   * entries (S19, and S20's disclosures) the string `audit:<origin>:<legacy_audit_id>`.
   * Throws NotSupportedError when the capability is not implemented.
   */
  search(capability: CapabilityId, params: Record<string, unknown>): Promise<string[]>;
  /**
   * Optional: the same ids as `search`, in pieces of at most `piece` as they are read, so that a
   * wide answer is not held whole (the parity run checks each piece as it arrives). Throws as
   * `search` does, when called or on the first piece.
   */
  searchPieces?(capability: CapabilityId, params: Record<string, unknown>, piece: number): AsyncIterable<string[]>;
  close(): Promise<void>;
}

export type Verdict = 'PARITY' | 'DEGRADED' | 'LOST';
