// Change Tracking SQL (the SQL Server fast path of change detection), without a server.
import { describe, it, expect } from 'vitest';
import { changeKey, mssqlChangesSql, mssqlTrackingVersionsSql, trackingUsable } from '../../src/sources/mssql-ct.ts';
import { crisTableOf } from '../../src/sources/keyset.ts';
import { feedChanges } from '../../src/sources/changes.ts';
import type { ChangeFeed, SourceRecord } from '../../src/sources/types.ts';

describe('Change Tracking SQL', () => {
  it('asks for the current version and the table\'s minimum valid version', () => {
    expect(mssqlTrackingVersionsSql(crisTableOf('NOMINAL'))).toBe(
      "SELECT CAST(CHANGE_TRACKING_CURRENT_VERSION() AS varchar(20)) AS current_version, CAST(CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(N'[dbo].[NOMINAL]')) AS varchar(20)) AS min_valid_version",
    );
  });
  it('reads CHANGETABLE(CHANGES …) since @since, joined to the rows as they are now, keys from the change table', () => {
    const sql = mssqlChangesSql(crisTableOf('NOMINAL'));
    expect(sql).toContain('FROM CHANGETABLE(CHANGES [dbo].[NOMINAL], CAST(@since AS bigint)) AS ct');
    expect(sql).toContain('LEFT JOIN [dbo].[NOMINAL] AS t ON t.[NOMINAL_ID] = ct.[NOMINAL_ID]');
    expect(sql).toContain('ct.SYS_CHANGE_OPERATION AS [CT_OPERATION], CAST(ct.[NOMINAL_ID] AS varchar(100)) AS [CT_NOMINAL_ID]');
    expect(sql).toContain('CONVERT(varchar(23), t.[DOB], 121) AS [DOB]');
    expect(sql.endsWith('ORDER BY ct.[NOMINAL_ID]')).toBe(true);
  });
  it('joins a composite key on every column', () => {
    const sql = mssqlChangesSql(crisTableOf('CRIME_NOMINAL'));
    expect(sql).toContain('ON t.[CRIS_NO] = ct.[CRIS_NO] AND t.[NOMINAL_ID] = ct.[NOMINAL_ID] AND t.[ROLE] = ct.[ROLE]');
    expect(changeKey(crisTableOf('CRIME_NOMINAL'), { CT_CRIS_NO: '0412345/19', CT_NOMINAL_ID: '12', CT_ROLE: 'VI' })).toBe('0412345/19|12|VI');
  });
  it('uses a stored version only while it is not older than the minimum valid version (else: compare everything)', () => {
    expect(trackingUsable('120', { current: '200', minValid: '100' })).toBe(true);
    expect(trackingUsable('100', { current: '200', minValid: '100' })).toBe(true);
    expect(trackingUsable('99', { current: '200', minValid: '100' })).toBe(false);
    expect(trackingUsable(null, { current: '200', minValid: '100' })).toBe(false);
    expect(trackingUsable('120', { current: null, minValid: null })).toBe(false); // tracking off
    expect(trackingUsable('9007199254740993', { current: '9007199254740999', minValid: '9007199254740992' })).toBe(true); // bigint, exact
  });
});

describe('changes from a feed', () => {
  const rec = (key: string, raw: Record<string, unknown>): SourceRecord => ({ key, ordinal: 0, raw });
  async function run(items: Array<{ key: string; record: SourceRecord | null }>, known: Map<string, { hash: string | null; ordinal: number; state: string }>) {
    async function* changes() { yield* items; }
    const feed: ChangeFeed = { version: '7', changes: changes() };
    const out = [];
    for await (const c of feedChanges(feed, { known })) out.push(`${c.kind}:${c.key}`);
    return out;
  }
  it('a re-save of identical content is no change; a deletion of a key never loaded is none', async () => {
    const { sourceHash } = await import('../../src/sources/changes.ts');
    const same = { nominal_id: 1, surname: 'SMITH' };
    const known = new Map([['1', { hash: sourceHash(same), ordinal: 0, state: 'loaded' }], ['2', { hash: 'x', ordinal: 0, state: 'loaded' }], ['3', { hash: 'y', ordinal: 0, state: 'loaded' }]]);
    const out = await run([
      { key: '1', record: rec('1', { ...same }) },
      { key: '2', record: rec('2', { nominal_id: 2, surname: 'JONES' }) },
      { key: '3', record: null },
      { key: '4', record: rec('4', { nominal_id: 4, surname: 'NEW' }) },
      { key: '5', record: null },
    ], known);
    expect(out).toEqual(['update:2', 'insert:4', 'delete:3']);
  });
});
