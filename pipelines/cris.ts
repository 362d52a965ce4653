// CRIS (SQL Server, or its PostgreSQL stand-in): locations and objects, then people, then events,
// then links, then the audit trail (whose entries resolve their records through lineage).
import { definePipeline } from '../src/pipeline/define.ts';
import { openCrisSource } from '../src/sources/index.ts';
import { CRIS_MAPPINGS } from '../mappings/index.ts';
import { mapping as auditTrail } from '../mappings/cris-audit-trail.ts';

export default definePipeline({
  name: 'cris',
  system: 'CRIS',
  openSource: (c) => openCrisSource(c.crisUrl),
  steps: [...CRIS_MAPPINGS, auditTrail].map((mapping) => ({ mapping })),
  batchSize: 10000,
  concurrency: 2,
});
