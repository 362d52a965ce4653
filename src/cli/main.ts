// `cutover`: a thin commander layer over the library. `cutover --version` answers before the
// commands (and the drivers and schemas they import) are loaded.
import { readFileSync } from 'node:fs';
import { rootPath } from '../core/paths.ts';

const VERSION = (JSON.parse(readFileSync(rootPath('package.json'), 'utf8')) as { version: string }).version;
const args = process.argv.slice(2);

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  await main();
}

async function main(): Promise<void> {
  const [{ Command, CommanderError }, db, generate, run, worker, privacy, checks, report, demo, { reportError }] = await Promise.all([
    import('commander'), import('./db.ts'), import('./generate.ts'), import('./run.ts'), import('./worker.ts'), import('./privacy.ts'),
    import('./checks.ts'), import('./report.ts'), import('./demo.ts'), import('./common.ts'),
  ]);
  const program = new Command('cutover')
    .description('Provably lossless migration of legacy police records (CRIS, CRIMINT) into the POLE record schema')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  db.registerDb(program);
  generate.registerGenerate(program);
  run.registerRun(program);
  worker.registerWorker(program);
  privacy.registerPrivacy(program);
  checks.registerChecks(program);
  report.registerReport(program);
  demo.registerDemo(program);

  if (process.env.CUTOVER_PRINT_MAXRSS === '1') {
    // for the benchmark: this process's peak resident set size, in MB, on stderr
    process.on('exit', () => process.stderr.write(`cutover-maxrss-mb=${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`));
  }

  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 2
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version' ? 0 : 2;
    } else {
      process.exitCode = reportError(err);
    }
  }
}
