import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * node:util's parseArgs for the benches and chaos scripts, with the answer a CLI owes its user: an
 * unknown option or a missing value prints one line naming it and the options, and exits 2 (not a
 * stack trace); --help lists the options and exits 0.
 */
export function cliArgs<O extends NonNullable<ParseArgsConfig['options']>>(name: string, options: O) {
  const usage = `usage: ${name} ${Object.entries(options)
    .map(([k, o]) => (o.type === 'boolean' ? `[--${k}]` : `[--${k} <value>]`)).join(' ')}`;
  // A script that declares its own --help prints its own text.
  if (!('help' in options) && process.argv.includes('--help')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ options, strict: true, allowPositionals: false });
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
}
