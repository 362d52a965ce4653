// `cutover`: a thin commander layer over the library.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerDb } from './db.ts';
import { registerGenerate } from './generate.ts';
import { registerRun } from './run.ts';
import { registerPrivacy } from './privacy.ts';
import { registerReport } from './report.ts';
import { registerChecks } from './checks.ts';
import { registerDemo } from './demo.ts';
import { reportError } from './common.ts';

const program = new Command('cutover')
  .description('Provably lossless migration of legacy police records (CRIS, CRIMINT) into the POLE record schema')
  .version(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerDb(program);
registerGenerate(program);
registerRun(program);
registerPrivacy(program);
registerChecks(program);
registerReport(program);
registerDemo(program);

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
