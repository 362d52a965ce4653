// The contracts between mappings (mappings/*.ts), the loader (src/load) and the runner.
import type { z } from 'zod';
import type { Problem } from '../core/problems.ts';
import type { SourceRecord, SystemName } from '../sources/types.ts';

export type TargetTable = 'record.person' | 'record.person_name' | 'record.location' | 'record.object' | 'record.event';
export type LinkTable = 'record.event_person' | 'record.event_location' | 'record.event_object' | 'record.person_location' | 'record.person_object';

/** One target row and its lineage key (the legacy key, or `PARENT/path/i` for a CRIMINT inline item). */
export interface RowOut {
  table: TargetTable;
  /** lineage source_key; the row's `id` is targetId(system, entity, key). */
  key: string;
  row: Record<string, unknown> & { id: string };
}

/** A reference from a link to a record of another step, for orphan reporting. */
export interface LinkRef {
  /** id column in the link row, e.g. `person_id`. */
  column: string;
  /** the legacy entity and key it points at, e.g. `NOMINAL` / `12345`. */
  entity: string;
  key: string;
}

export interface LinkOut {
  table: LinkTable;
  row: Record<string, string>;
  /** The legacy key that identifies this link (CRIS link tables: the composite key; inline: `IR/…/subjects/0`). */
  key: string;
  /** The sides that live in other records and may be missing (orphans). */
  refs: LinkRef[];
}

/** A legacy audit entry mapped to audit.event, before chaining. */
export interface AuditIn {
  occurred_at: Date;
  actor: string;
  operation: 'collection' | 'alteration' | 'consultation' | 'disclosure' | 'combination' | 'erasure';
  justification: string | null;
  recipient: string | null;
  entity_type: 'person' | 'event' | 'location' | 'object' | 'search' | null;
  entity_id: string | null;
  entity_ref: string | null;
  detail: unknown;
  origin: 'CRIS' | 'CRIMINT' | 'MIGRATION' | 'RMS';
  legacy_audit_id: string | null;
}

/** An audit entry from a mapping: entity_id is resolved by the loader through lineage when the record was migrated. */
export interface AuditOut extends AuditIn {
  lookup: { entity: string; key: string } | null;
}

export interface Mapped {
  rows: RowOut[];
  links: LinkOut[];
  audit: AuditOut[];
  /** Invalid optional values set to NULL, and other counted data-quality warnings. */
  warnings: Problem[];
}

export type Outcome =
  | { kind: 'loaded'; mapped: Mapped }
  /** problems[0] is the reason recorded in migration.quarantine. */
  | { kind: 'quarantined'; problems: Problem[] }
  | { kind: 'excluded'; reason: 'legacy_deleted' | 'retention_expired' };

export interface Mapping {
  system: SystemName;
  /** Source entity: CRIS table entity (`NOMINAL`) or CRIMINT file (`nominals.json`). */
  entity: string;
  /** Target tables this mapping writes, with the zod schema every row is validated against. */
  schemas: Partial<Record<TargetTable, z.ZodType>>;
  /** Link-only records (CRIS CRIME_NOMINAL): an orphan link quarantines the record (reason `orphan_link`). */
  linkOnly?: boolean;
  /**
   * The legacy entities whose keys this mapping's links point at (every LinkRef.entity it emits;
   * test/mappings/references.test.ts holds each mapping to it). A delta re-derives a record when
   * a key of one of them came or went. Absent: the keys of every entity are looked for.
   */
  references?: readonly string[];
  /** Audit steps write audit.event rows instead of record rows. */
  audit?: boolean;
  /** The exclusion rule: a reason when the record is not migrated, else null. */
  exclude(raw: Record<string, unknown>): 'legacy_deleted' | 'retention_expired' | null;
  map(rec: SourceRecord): Outcome;
}
