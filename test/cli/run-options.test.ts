// `cutover run` refuses unknown pipelines and options that cannot go together, before it connects.
import { describe, it, expect } from 'vitest';
import { checkRunOptions, type RunOpts } from '../../src/cli/run.ts';
import { ConfigError } from '../../src/core/problems.ts';

const refused = (names: string[], opts: RunOpts): string => {
  try {
    checkRunOptions(names, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message.split('\n')[0]!; // the first line; a hint may follow
  }
  throw new Error('accepted');
};

describe('checkRunOptions', () => {
  it('accepts the usual runs', () => {
    for (const [names, opts] of [
      [[], {}], [['cris'], { resume: true }], [['crimint'], { restart: true, concurrency: 4, batchSize: 500 }],
      [[], { delta: true, batchSize: 1000 }], [[], { distributed: true, maxAttempts: 3, resume: true }], [[], { keys: 'diff.csv', batchSize: 10 }],
      [['cris'], { dryRun: true, limit: 100 }],
    ] as Array<[string[], RunOpts]>) {
      expect(() => checkRunOptions(names, opts)).not.toThrow();
    }
  });

  it('names an unknown pipeline', () => {
    expect(refused(['cris', 'crims'], {})).toBe('unknown pipeline crims');
  });

  it('--keys runs alone, and says which options it met', () => {
    expect(refused([], { keys: 'k.csv', dryRun: true, maxAttempts: 2 })).toMatch(/^--keys cannot be combined with --dry-run, --max-attempts:/);
  });

  it('--delta refuses --restart, --dry-run, --limit and --distributed', () => {
    for (const o of [{ restart: true }, { dryRun: true }, { limit: 5 }]) expect(refused([], { delta: true, ...o })).toMatch(/^--delta cannot be combined with --restart, --dry-run or --limit/);
    expect(refused([], { delta: true, distributed: true })).toBe('--delta cannot be combined with --distributed');
  });

  it('--distributed refuses what only a single process can do; --max-attempts needs it', () => {
    expect(refused([], { distributed: true, concurrency: 2, limit: 10 })).toBe('--concurrency, --limit cannot be used with --distributed');
    expect(refused([], { maxAttempts: 2 })).toBe('--max-attempts needs --distributed');
  });
});
