// The subject-access answer as written to sar.json and rendered as sar.html: the types shared by
// sar.ts (which builds it) and sar-html.ts (which renders it).
import type { S45Information } from './sar-info.ts';

export interface SarParityRecord {
  identity: string;
  targetId: string;
  /**
   * missing only: `erased` (the record itself was erased on the new platform: expected),
   * `subject_erased` (a person the legacy search matched was erased, so records found through
   * them are gone from the answer: expected), `not_migrated` (quarantined or retention-excluded:
   * still held, but not in the answer), `not_found` (a real loss).
   */
  reason?: 'erased' | 'subject_erased' | 'not_migrated' | 'not_found';
}

export interface SarParity {
  /** No record missing (other than erased ones and those found through an erased person) and none extra. */
  ok: boolean;
  legacyCount: number;
  targetCount: number;
  missing: SarParityRecord[];
  extra: SarParityRecord[];
}

export interface SarCounts {
  persons: number;
  otherNames: number;
  events: number;
  locations: number;
  objects: number;
  disclosures: number;
  /** ids S20 returned that no table holds (should be 0). */
  unresolved: number;
}

export interface SarSource {
  sourceSystem: string;
  sourceEntity: string;
  legacyReference: string;
}

type Row = Record<string, unknown>;

export interface SarDocument {
  format: 'cutover-sar/1';
  sarId: string;
  generatedAt: string;
  request: { surname: string; forenames: string; dob: string };
  counts: SarCounts;
  records: {
    persons: Array<Row & { source: SarSource | null }>;
    otherNames: Array<Row & { source: SarSource | null }>;
    events: Array<Row & { yourRoles: string[]; source: SarSource | null }>;
    locations: Array<Row & { links: string[]; source: SarSource | null }>;
    objects: Array<Row & { links: string[]; source: SarSource | null }>;
  };
  disclosures: Row[];
  s45: S45Information;
  notes: string[];
  unresolved: string[];
  parity?: SarParity;
}
