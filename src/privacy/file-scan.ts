// The residual scan outside the database: the stored check results (`.cutover/results`, which
// feed the board's report and must hold no personal data at all) and every engineers' report
// folder written so far (the Cutover home keeps their list). A file holding the erased person's
// PNC, CRO or surname with date of birth is a residue: the scan lists it and fails. The person's
// target id alone is a reference, not content (the board's report names whom it erased), and is
// not counted.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { resultsDir } from '../report/store.ts';
import { engineersReportDirs } from '../report/engineers.ts';
import type { IdentifierMatcher } from './matcher.ts';
import type { IdentifierKind } from './tokens.ts';

export interface FileHit {
  file: string;
  kinds: IdentifierKind[];
}

export interface FolderHit {
  dir: string;
  writtenAt: string;
  actor: string;
  files: FileHit[];
}

export interface FileScanResult {
  resultsStore: { dir: string; files: number; hits: FileHit[] };
  engineersReports: { known: number; holding: FolderHit[] };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function scanFile(file: string, matcher: IdentifierMatcher): FileHit | null {
  const value = readFileSync(file, 'utf8');
  const kinds = matcher.matchRow([{ column: file, type: file.endsWith('.json') ? 'json' : 'text', value }]).map((h) => h.kind).filter((k) => k !== 'id');
  return kinds.length ? { file, kinds: [...new Set(kinds)] } : null;
}

export function scanFiles(matcher: IdentifierMatcher): FileScanResult {
  const dir = resultsDir();
  const stored = filesUnder(dir);
  const known = engineersReportDirs();
  return {
    resultsStore: { dir, files: stored.length, hits: stored.map((f) => scanFile(f, matcher)).filter((h): h is FileHit => h !== null) },
    engineersReports: {
      known: known.length,
      holding: known.map((r) => ({ ...r, files: filesUnder(r.dir).map((f) => scanFile(f, matcher)).filter((h): h is FileHit => h !== null) }))
        .filter((r) => r.files.length > 0).map(({ dir: d, writtenAt, actor, files }) => ({ dir: d, writtenAt, actor, files })),
    },
  };
}
