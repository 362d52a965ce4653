// Open a legacy source from configuration. The only place that knows the kinds of source.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { PostgresCrisSource, type PostgresSourceOptions } from './postgres.ts';
import { MssqlCrisSource, type MssqlSourceOptions } from './mssql.ts';
import { JsonExportSource } from './json-export.ts';
import type { Source } from './types.ts';
import { ConfigError } from '../core/problems.ts';
import { maskUrl } from '../core/log.ts';

export type { Source, SourceRecord, KeyRange, EntityInfo, SystemName } from './types.ts';
export { PostgresCrisSource } from './postgres.ts';
export { MssqlCrisSource } from './mssql.ts';
export { JsonExportSource, verifyManifest, checkManifest, CRIMINT_ENTITIES } from './json-export.ts';

/** CRIS from a URL: postgres:// or postgresql:// (the stand-in), mssql:// or sqlserver:// (the live server). */
export function openCrisSource(url: string, options: PostgresSourceOptions & MssqlSourceOptions = {}): Source {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return new PostgresCrisSource(url, options);
  if (scheme === 'mssql' || scheme === 'sqlserver') return new MssqlCrisSource(url, options);
  throw new ConfigError(`cannot open CRIS source ${maskUrl(url)}: unknown kind${scheme ? ` '${scheme}'` : ''}`,
    'use postgres://user:pass@host:5432/db (the dbo stand-in) or mssql://user:pass@host:1433/CRIS?encrypt=false&trustServerCertificate=true');
}

/** CRIMINT from an export directory holding manifest.json and the data files. */
export function openCrimintSource(dir: string): Source {
  const advice = 'run `cutover generate` to write a synthetic export, or set CUTOVER_CRIMINT_DIR to the export directory';
  const abs = path.resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new ConfigError(`CRIMINT export directory ${abs} does not exist`, advice);
  if (!existsSync(path.join(abs, 'manifest.json'))) throw new ConfigError(`CRIMINT export directory ${abs} has no manifest.json`, advice);
  return new JsonExportSource(dir);
}
