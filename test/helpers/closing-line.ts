// Prints the plain closing line `N passed, N failed, N skipped` after vitest's own summary,
// so any CI that reads closing lines sees what ran.
import type { Reporter } from 'vitest/reporters';

interface Task { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] }

export default class ClosingLine implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const walk = (t: Task) => {
      if (t.tasks) t.tasks.forEach(walk);
      if (t.type !== 'test') return;
      if (t.mode === 'skip' || t.mode === 'todo') skipped++;
      else if (t.result?.state === 'pass') passed++;
      else if (t.result?.state === 'fail') failed++;
      else skipped++;
    };
    files.forEach(walk);
    // a file that failed to load has no tests: count it as a failure
    failed += files.filter((f) => f.result?.state === 'fail' && !(f.tasks ?? []).length).length + (errors.length ? 1 : 0);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
