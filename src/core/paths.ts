// The project's own files (package.json, data/, the summary schema) from the source (src/…) and
// from the build (dist/src/…) alike: the first folder above this module that holds package.json.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let d = here; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) throw new Error(`no package.json above ${here}`);
  }
}

/** The project folder (where package.json is). */
export const ROOT = findRoot();

/** A path inside the project folder. */
export const rootPath = (...parts: string[]): string => path.join(ROOT, ...parts);
