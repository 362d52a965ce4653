// Which module of src/cli registers which command, so that a command line loads only its own
// module (src/cli/main.ts). Nothing heavy here: each module is imported when asked for.
import type { Command } from 'commander';

/** Each module of commands, and how to register them. */
export const COMMAND_MODULES: Record<string, () => Promise<(program: Command) => void>> = {
  db: async () => (await import('./db.ts')).registerDb,
  generate: async () => (await import('./generate.ts')).registerGenerate,
  run: async () => (await import('./run.ts')).registerRun,
  worker: async () => (await import('./worker.ts')).registerWorker,
  privacy: async () => (await import('./privacy.ts')).registerPrivacy,
  checks: async () => (await import('./checks.ts')).registerChecks,
  report: async () => (await import('./report.ts')).registerReport,
  demo: async () => (await import('./demo.ts')).registerDemo,
};

/** The module that registers each top-level command (test/code/commands.test.ts holds it to what they register). */
export const MODULE_OF_COMMAND: Record<string, string> = {
  db: 'db', generate: 'generate', run: 'run', status: 'run', worker: 'worker',
  restrict: 'privacy', erase: 'privacy', 'residual-scan': 'privacy', sar: 'privacy',
  reconcile: 'checks', parity: 'checks', search: 'checks', audit: 'checks',
  report: 'report', gate: 'report', demo: 'demo',
};
