// A command line loads only the module of its own command (src/cli/commands.ts): the table that
// says which module registers which command must be exactly what the modules register.
import { describe, it, expect } from 'vitest';
import { Command } from 'commander';
import { COMMAND_MODULES, MODULE_OF_COMMAND } from '../../src/cli/commands.ts';
import { runCli } from '../helpers/cli.ts';

describe('the CLI commands table', () => {
  it('names, for every command a module registers, that module, and no command no module registers', async () => {
    const registered: Record<string, string> = {};
    for (const [module, load] of Object.entries(COMMAND_MODULES)) {
      const program = new Command('cutover');
      (await load())(program);
      for (const c of program.commands) registered[c.name()] = module;
    }
    expect(MODULE_OF_COMMAND).toEqual(registered);
    expect(Object.keys(registered).length).toBeGreaterThan(10);
  });

  it('a command alone, help and a misspelt command all still work', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of Object.keys(MODULE_OF_COMMAND)) expect(help.stdout).toContain(name);
    const one = await runCli(['gate', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Usage: cutover gate/);
    const typo = await runCli(['reconcle']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/reconcile/);
  });
});
