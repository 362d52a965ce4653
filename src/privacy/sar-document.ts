// The subject-access answer as written to sar.json and rendered as sar.html: the types shared by
// sar.ts (which builds it), sar-info.ts (the s.45(2) sections) and sar-html.ts (which renders it).
//
// Each record is the row its query in sar.ts returns, columns in SELECT order (sar.json keeps
// that order), typed as node-postgres gives them: text → string, timestamptz → Date (ISO text in
// sar.json), date → read as `::text`, 'YYYY-MM-DD', smallint/integer → number, boolean, text[] →
// string[]; `| null` where the column is nullable. Text columns the code branches on carry their
// CHECK values (kind, dob_precision, origin; source_system as SystemName). Then `source`: where
// the record came from (migration.lineage), null when no lineage row names it.
import type { AuditIn } from '../pipeline/types.ts';
import type { SystemName } from '../sources/types.ts';
import type { DobPrecision } from '../transform/dob.ts';

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

/** record.person. */
export interface PersonRow {
  id: string;
  surname: string;
  forenames: string | null;
  /** 'YYYY-MM-DD' (the first day of the period when partial). */
  date_of_birth: string | null;
  dob_precision: DobPrecision;
  sex: string;
  ethnicity: string | null;
  pnc_id: string | null;
  cro_no: string | null;
  restricted: boolean;
  source_system: SystemName;
  created_at: Date | null;
  updated_at: Date | null;
}

/** record.person_name: another name (alias) of a person found, or one S20 found itself. */
export interface OtherNameRow {
  id: string;
  person_id: string;
  kind: 'alias';
  surname: string;
  forenames: string | null;
  date_of_birth: string | null;
  dob_precision: DobPrecision;
}

/** record.event, with the subject's roles in it. */
export interface EventRow {
  id: string;
  kind: 'crime' | 'intelligence';
  reference: string;
  occurred_from: Date | null;
  occurred_to: Date | null;
  reported_at: Date;
  classification_code: string | null;
  classification_label: string | null;
  borough: string | null;
  status: string | null;
  narrative: string | null;
  officer: string | null;
  legacy_grading: string | null;
  grading_source: string | null;
  grading_intel: string | null;
  grading_handling: string | null;
  /** 1–3. */
  mopi_group: number | null;
  /** 'YYYY-MM-DD'. */
  review_due: string | null;
  restricted: boolean;
  source_system: SystemName;
  /** The roles of the people found in this event, sorted; empty when none of them is linked to it. */
  yourRoles: string[];
}

/** record.location, with how it relates to the subject (`your address (role)`, `role — event reference`). */
export interface LocationRow {
  id: string;
  premises: string | null;
  street: string | null;
  locality: string | null;
  town: string | null;
  postcode: string | null;
  easting: number | null;
  northing: number | null;
  source_system: SystemName;
  links: string[];
}

/** record.object (vehicle or telephone), with how it relates to the subject (`used by you (role)`, `role — event reference`). */
export interface ObjectRow {
  id: string;
  kind: 'vehicle' | 'telephone';
  vrm: string | null;
  make: string | null;
  model: string | null;
  colour: string | null;
  telephone: string | null;
  source_system: SystemName;
  links: string[];
}

/** An audit.event disclosure entry (the actor, a staff user id, is left out: third-party data). */
export interface DisclosureRow {
  /** bigint, as text. */
  seq: string;
  occurred_at: Date;
  recipient: string | null;
  justification: string | null;
  entity_type: AuditIn['entity_type'];
  entity_id: string | null;
  entity_ref: string | null;
  origin: AuditIn['origin'];
  legacy_audit_id: string | null;
}

/** A record with where it came from. */
export type WithSource<R> = R & { source: SarSource | null };

export type SarPerson = WithSource<PersonRow>;
export type SarOtherName = WithSource<OtherNameRow>;
export type SarEvent = WithSource<EventRow>;
export type SarLocation = WithSource<LocationRow>;
export type SarObject = WithSource<ObjectRow>;

export interface SarRecords {
  persons: SarPerson[];
  otherNames: SarOtherName[];
  events: SarEvent[];
  locations: SarLocation[];
  objects: SarObject[];
}

/** In memory; sar.json is this with every Date written as ISO text (`JSON.stringify`). */
export interface SarDocument {
  format: 'cutover-sar/1';
  sarId: string;
  generatedAt: string;
  request: { surname: string; forenames: string; dob: string };
  counts: SarCounts;
  records: SarRecords;
  disclosures: DisclosureRow[];
  s45: S45Information;
  notes: string[];
  unresolved: string[];
  parity?: SarParity;
}

/** The s.45(2) information of a response (sar-info.ts builds it). */
export interface S45Information {
  purposesAndLegalBasis: { purposes: string; legalBasis: string; sensitiveProcessing: string | null };
  categoriesOfData: Array<{ category: string; description: string; records: number }>;
  recipients: Array<{ recipient: string; disclosures: number; first: string; last: string }>;
  retention: {
    policy: string;
    records: Array<{ reference: string; kind: string; mopiGroup: number | null; group: string; reviewDue: string | null; reviewOverdue: boolean }>;
  };
  rights: {
    rectification: string;
    erasureAndRestriction: string;
    complaint: { text: string; commissioner: { name: string; address: string; telephone: string; website: string } };
  };
  origin: {
    summary: string;
    records: Array<{ recordType: string; id: string; sourceSystem: string; sourceSystemName: string; sourceEntity: string; legacyReference: string }>;
  };
}
