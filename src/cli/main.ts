// `cutover`: a thin commander layer over the library. `cutover --version` answers before the
// commands (and the drivers and schemas they import) are loaded, and a command line loads only
// the module of its own command (0.15 s of every process's start-up); help and anything unknown
// load them all.
import { readFileSync } from 'node:fs';
import { rootPath } from '../core/paths.ts';
import { COMMAND_MODULES, MODULE_OF_COMMAND } from './commands.ts';

const VERSION = (JSON.parse(readFileSync(rootPath('package.json'), 'utf8')) as { version: string }).version;
const args = process.argv.slice(2);

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  await main();
}

async function main(): Promise<void> {
  const own = MODULE_OF_COMMAND[args[0] ?? ''];
  const modules = own ? [own] : Object.keys(COMMAND_MODULES);
  const [{ Command, CommanderError }, { reportError }, ...registers] = await Promise.all([
    import('commander'), import('./common.ts'), ...modules.map((m) => COMMAND_MODULES[m]!()),
  ]);
  const program = new Command('cutover')
    .description('Provably lossless migration of legacy police records (CRIS, CRIMINT) into the POLE record schema')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  for (const register of registers) register(program);

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
