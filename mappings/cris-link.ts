// The shape shared by the CRIS link tables CRIME_NOMINAL and CRIME_VEHICLE: (CRIS_NO, other id, ROLE)
// → one link row between the crime event and the other record. Link-only: no record rows.
// Key: `cris_no|other_id|role` as the source writes it (crisKey).
import { targetId } from '../src/core/ids.ts';
import type { LinkTable, Mapping } from '../src/pipeline/types.ts';
import { Ctx, defineMapping, crisExclude, intKey, isBlank, show, str, text } from './lib.ts';

export interface CrisLinkSpec {
  entity: string;
  table: LinkTable;
  /** Column of the other record's id in the legacy link table (`nominal_id`). */
  otherColumn: string;
  /** The other record's legacy entity (`NOMINAL`) and its id column in the link row (`person_id`). */
  otherEntity: string;
  otherIdColumn: string;
  /** Legacy role code → target role, null when unknown (src/transform/codes.ts). */
  role: (code: unknown) => string | null;
  roleCodes: string;
}

export function crisLinkMapping(spec: CrisLinkSpec): Mapping {
  const SYSTEM = 'CRIS';
  return defineMapping({
    system: SYSTEM,
    entity: spec.entity,
    schemas: {},
    linkOnly: true,
    references: ['CRIME_REPORT', spec.otherEntity],
    exclude: crisExclude,
    map(rec) {
      const raw = rec.raw;
      const ctx = new Ctx(rec.key);
      const crisNo = text(ctx, str(ctx, raw['cris_no'], 'cris_no'), 'cris_no');
      if (crisNo === null) return ctx.quarantine('missing_required', 'cris_no', 'cris_no is blank or missing');
      const otherKey = intKey(raw[spec.otherColumn]);
      if (otherKey === null) return ctx.quarantine('missing_required', spec.otherColumn, `${spec.otherColumn} is missing`);
      if (otherKey === undefined) {
        return ctx.quarantine('invalid_type', spec.otherColumn, `${spec.otherColumn} ${show(raw[spec.otherColumn])} is not an integer key`);
      }
      const code = str(ctx, raw['role'], 'role');
      if (isBlank(code)) return ctx.quarantine('missing_required', 'role', 'role is blank or missing');
      const role = spec.role(code);
      if (role === null) return ctx.quarantine('invalid_value', 'role', `role ${show(code)} is not one of ${spec.roleCodes}`);

      return ctx.loaded([], [{
        table: spec.table,
        key: rec.key,
        row: {
          event_id: targetId(SYSTEM, 'CRIME_REPORT', crisNo),
          [spec.otherIdColumn]: targetId(SYSTEM, spec.otherEntity, otherKey),
          role,
        },
        refs: [
          { column: 'event_id', entity: 'CRIME_REPORT', key: crisNo },
          { column: spec.otherIdColumn, entity: spec.otherEntity, key: otherKey },
        ],
      }]);
    },
  });
}
