// The types a batch is made of, shared by batch.ts and supersede.ts (kept apart so neither imports the other).
import type { SourceRecord, SystemName } from '../sources/types.ts';
import type { Mapping, Outcome } from '../pipeline/types.ts';

export interface StepRef {
  runId: string;
  pipeline: string;
  step: string;
  partition: number;
  system: SystemName;
  mapping: Mapping;
  /** The source may repeat a key (a re-export): check earlier copies. */
  keysMayRepeat: boolean;
  /** Tables a first load is filling with their secondary indexes deferred: rows are COPYed straight in (src/load/direct.ts). */
  direct?: ReadonlySet<string>;
}

export interface PendingRecord {
  rec: SourceRecord;
  outcome: Outcome;
}
