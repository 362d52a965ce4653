// CRIS VEHICLE → record.object (kind vehicle). Key: VEHICLE_ID as text.
import { targetId } from '../src/core/ids.ts';
import type { Mapping } from '../src/pipeline/types.ts';
import { Ctx, defineMapping, crisExclude } from './lib.ts';
import { vehicleRow } from './rows.ts';
import { objectSchema } from './schemas.ts';

const SYSTEM = 'CRIS';
const ENTITY = 'VEHICLE';

export const mapping: Mapping = defineMapping({
  system: SYSTEM,
  entity: ENTITY,
  references: [],
  schemas: { 'record.object': objectSchema },
  exclude: crisExclude,
  map(rec) {
    const ctx = new Ctx(rec.key);
    const row = vehicleRow(ctx, targetId(SYSTEM, ENTITY, rec.key), SYSTEM, rec.raw, '');
    return ctx.loaded([{ table: 'record.object', key: rec.key, row }], []);
  },
});
