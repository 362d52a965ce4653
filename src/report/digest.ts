// A digest the board can quote: SHA-256 of the summary's canonical JSON (keys sorted, no
// whitespace; src/audit/canonical.ts stableJson), leaving out `generatedAt` and `digest` itself,
// so that the report the board read and the gate CI ran on the same results and target print the
// same digest.
import { createHash } from 'node:crypto';
import { stableJson } from '../audit/canonical.ts';
import type { Summary } from './schema.ts';

export function summaryDigest(summary: Summary): string {
  const { generatedAt: _g, digest: _d, ...content } = summary;
  return createHash('sha256').update(stableJson(content), 'utf8').digest('hex');
}

/** The summary with its digest (recomputed: call again after attaching the gate). */
export function withDigest(summary: Summary): Summary {
  const { digest: _d, ...rest } = summary;
  return { ...rest, digest: summaryDigest(rest as Summary) };
}

/** `summary digest: sha256:…` — one line for every rendering. */
export const digestLine = (digest: string | undefined) => `summary digest: sha256:${digest ?? 'none'}`;
