// CRIS ADDRESS → record.location. Key: ADDRESS_ID as text.
import { targetId } from '../src/core/ids.ts';
import type { Mapping } from '../src/pipeline/types.ts';
import { Ctx, defineMapping, crisExclude } from './lib.ts';
import { locationRow } from './rows.ts';
import { locationSchema } from './schemas.ts';

const SYSTEM = 'CRIS';
const ENTITY = 'ADDRESS';

export const mapping: Mapping = defineMapping({
  system: SYSTEM,
  entity: ENTITY,
  references: [],
  schemas: { 'record.location': locationSchema },
  exclude: crisExclude,
  map(rec) {
    const ctx = new Ctx(rec.key);
    const row = locationRow(ctx, targetId(SYSTEM, ENTITY, rec.key), SYSTEM, rec.raw, '');
    return ctx.loaded([{ table: 'record.location', key: rec.key, row }], []);
  },
});
