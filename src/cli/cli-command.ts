import { InvalidArgumentError, type Command } from 'commander';

/** One subcommand of `skucast`: adds itself (options and action) to the program. */
export interface CliCommand {
  name: string;
  register(program: Command): void;
}

/** An option parser for integers >= min; commander prints the flag and the reason. */
export function integerOption(min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return n;
  };
}
