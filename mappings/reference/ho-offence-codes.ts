// Home Office offence codes → reference label (data/ho-offence-codes.csv: code,label,category,subcategory;
// ONS crime hierarchy 2017-18, see data/README.md). Loaded once, when this module is imported.
import { readFileSync } from 'node:fs';
import { CutoverError } from '../../src/core/problems.ts';
import { parseCsv } from '../../src/core/csv.ts';
import { rootPath } from '../../src/core/paths.ts';

export { parseCsv };

export const HO_OFFENCE_CODES_FILE = rootPath('data', 'ho-offence-codes.csv');

/** code (upper case) → label. */
export function loadHoOffenceCodes(file: string = HO_OFFENCE_CODES_FILE): Map<string, string> {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CutoverError(`cannot read the Home Office offence code reference ${file}`,
      'Copy ho-offence-codes.csv into data/ (it ships with the project).', { cause: e });
  }
  const [header, ...rows] = parseCsv(content.replace(/^\uFEFF/, ''));
  const codeAt = header?.indexOf('code') ?? -1;
  const labelAt = header?.indexOf('label') ?? -1;
  if (codeAt < 0 || labelAt < 0) {
    throw new CutoverError(`${file}: the header must name the columns code and label`, 'Restore the file from the project.');
  }
  const map = new Map<string, string>();
  for (const r of rows) {
    const code = (r[codeAt] ?? '').trim().toUpperCase();
    const label = (r[labelAt] ?? '').trim();
    if (code !== '' && label !== '') map.set(code, label);
  }
  return map;
}

export const HO_OFFENCE_LABELS: ReadonlyMap<string, string> = loadHoOffenceCodes();

/** Reference label of a (trimmed) HO code, any case; null when the code is not in the reference. */
export function hoOffenceLabel(code: string): string | null {
  return HO_OFFENCE_LABELS.get(code) ?? HO_OFFENCE_LABELS.get(code.toUpperCase()) ?? null;
}
