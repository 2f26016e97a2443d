import { Command, CommanderError, type OutputConfiguration } from 'commander';
import { settings } from '../config/env.js';
import { exitQuietlyWhenStdoutCloses } from './closed-stdout.js';
import { commands } from './commands/index.js';
import type { ErrorCode } from '../api/errors.js';
import { failureJson, jsonOn, printJson, resetJson, startJson } from './json-output.js';

/**
 * The hint on the error's own line: errors are one line on stderr, usage errors too. It names the
 * help that lists the option at fault: `skucast export --help`, not the program's, which lists none.
 */
function usageHint(command: string): OutputConfiguration {
  return { outputError: (text, write) => write(`${text.trimEnd().replace(/\n/g, ' ')} (run \`${command} --help\` for usage)\n`) };
}

export function buildProgram(): Command {
  const program = new Command('skucast')
    .description('Tune demand forecasts at SKU scale: a durable job queue, real forecast models, a web app.')
    .version('0.1.0')
    .configureOutput(usageHint('skucast'))
    .exitOverride();
  for (const command of commands) command.register(program);
  // Subcommands throw instead of exiting, like the program, so main() decides the exit code; a
  // nested one (`snapshots delete`) names its own help too.
  const configure = (sub: Command, parent: string) => {
    const name = `${parent} ${sub.name()}`;
    sub.exitOverride().configureOutput(usageHint(name));
    for (const child of sub.commands) configure(child, name);
  };
  for (const sub of program.commands) configure(sub, 'skucast');
  return program;
}

/** The commands that answer in JSON (json-output.ts): another's `--json` is an unknown option, said in words. */
function takesJson(argv: string[]): boolean {
  const [command, sub] = argv.filter((a) => !a.startsWith('-'));
  return ['import', 'actuals', 'accuracy', 'prune'].includes(command) || (command === 'snapshots' && (sub === 'list' || sub === 'name' || sub === 'delete'));
}

/**
 * `skucast <command>` (and `node server.js <command>`). Errors end with one clear line on stderr
 * and a non-zero exit code; a command that returns leaves the exit code alone.
 */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return;
  }
  exitQuietlyWhenStdoutCloses();
  resetJson();
  // Before the variables and the options are read: their refusals answer in JSON too.
  startJson({ json: takesJson(argv) && argv.includes('--json') });
  let logLevel = 'info';
  try {
    // Every variable is checked before any command opens anything: a bad one stops the process
    // here, named, with exit code 1. Help and version need no configuration.
    if (!argv.some((a) => ['--help', '-h', '--version', '-V', 'help'].includes(a))) logLevel = settings().logLevel;
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed the message (or the help) already; a refusal is also the JSON answer.
      if (jsonOn() && error.exitCode !== 0) printJson(failureJson(error.message.replace(/^error: /, '')));
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    // A command in JSON mode answers its failure on stdout too, as a route's error body.
    if (jsonOn()) {
      const { answerCode, answerPath } = error as { answerCode?: ErrorCode; answerPath?: string };
      printJson(failureJson(message, answerPath, answerCode));
    }
    process.stderr.write(`skucast: ${message}\n`);
    if (logLevel === 'debug' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
