// What the target server must have before `cutover db migrate` writes anything: PostgreSQL 15 or
// later, the extensions the migrations create, and a collation with full Unicode case mapping
// for the search functions (src/db/unicode-rules.ts). Everything missing is named at once.
import type pg from 'pg';
import { ConfigError } from '../core/problems.ts';
import { CASE_COLLATIONS, caseCollation } from './unicode-rules.ts';

export const MIN_SERVER_VERSION = 15;
export const REQUIRED_EXTENSIONS = ['pg_trgm', 'fuzzystrmatch', 'unaccent', 'pgcrypto'] as const;

export interface ServerFeatures {
  /** server_version_num / 10000 */
  major: number;
  version: string;
  /** required extensions the server cannot install */
  missingExtensions: string[];
  /** the case collation the search functions will use, or null */
  caseCollation: string | null;
  encoding: string;
}

export async function serverFeatures(c: pg.ClientBase): Promise<ServerFeatures> {
  const { rows } = await c.query<{ num: string; version: string; encoding: string }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, pg_catalog.getdatabaseencoding() AS encoding`,
  );
  const { rows: ext } = await c.query<{ name: string }>(`SELECT name FROM pg_catalog.pg_available_extensions WHERE name = ANY($1)`, [REQUIRED_EXTENSIONS]);
  const have = new Set(ext.map((e) => e.name));
  return {
    major: Math.floor(Number(rows[0]!.num) / 10000),
    version: rows[0]!.version,
    missingExtensions: REQUIRED_EXTENSIONS.filter((e) => !have.has(e)),
    caseCollation: await caseCollation(c),
    encoding: rows[0]!.encoding,
  };
}

/** What the server lacks, one phrase each (empty when it has everything). */
export function missingFeatures(f: ServerFeatures): string[] {
  const missing: string[] = [];
  if (f.major < MIN_SERVER_VERSION) missing.push(`PostgreSQL ${MIN_SERVER_VERSION} or later (this is ${f.version})`);
  if (f.encoding !== 'UTF8') missing.push(`a UTF8 database (this one is ${f.encoding})`);
  if (f.missingExtensions.length) missing.push(`the extension${f.missingExtensions.length > 1 ? 's' : ''} ${f.missingExtensions.join(', ')}`);
  if (!f.caseCollation) missing.push(`a collation with full Unicode case mapping (${CASE_COLLATIONS.join(' or ')}: PostgreSQL 18, or a server built with ICU)`);
  return missing;
}

/** Refuse (exit 2) before anything is written when the target lacks something the migrations need. */
export async function checkServer(c: pg.ClientBase, where: string): Promise<ServerFeatures> {
  const f = await serverFeatures(c);
  const missing = missingFeatures(f);
  if (missing.length) {
    throw new ConfigError(
      `the target ${where} cannot hold Cutover's schema: it lacks ${missing.join('; ')}`,
      'use PostgreSQL 15–18 built with ICU and its contrib extensions (Debian/Ubuntu postgresql packages and the managed services have them), with a UTF8 database; nothing was written',
    );
  }
  return f;
}
