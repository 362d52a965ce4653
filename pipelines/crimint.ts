// CRIMINT (JSON export): nominals (with their inline names, addresses and phones), then
// intelligence reports (with inline vehicles, locations, phones and links to nominals), then audit.
import { definePipeline } from '../src/pipeline/define.ts';
import { openCrimintSource } from '../src/sources/index.ts';
import { CRIMINT_MAPPINGS } from '../mappings/index.ts';
import { mapping as crimintAudit } from '../mappings/crimint-audit.ts';

export default definePipeline({
  name: 'crimint',
  system: 'CRIMINT',
  openSource: (c) => openCrimintSource(c.crimintDir),
  steps: [...CRIMINT_MAPPINGS, crimintAudit].map((mapping) => ({ mapping })),
  batchSize: 10000,
  // a JSON file is one stream: one partition per step
  concurrency: 1,
});
