import { InvalidArgumentError, type Command } from 'commander';
import { charsetOf, charsets, type Charset } from '../datasets/text-charset.js';

/** One subcommand of `skucast`: adds itself (options and action) to the program. */
export interface CliCommand {
  name: string;
  register(program: Command): void;
}

/**
 * An option parser for integers >= min (and <= max when given); commander prints the flag and the
 * reason. Decimal digits only, as the environment's numbers (src/config/env.ts): Number() alone
 * took `--port 1e3` and `--port 0x10`, which PORT=1e3 refuses.
 */
export function integerOption(min = 0, max?: number) {
  return (value: string): number => {
    const digits = value.trim();
    const n = Number(digits);
    const wrong = !/^\d+$/.test(digits) || n < min || (max !== undefined && n > max);
    if (wrong) throw new InvalidArgumentError(max === undefined ? `expected an integer >= ${min}` : `expected an integer from ${min} to ${max}`);
    return n;
  };
}

/** An option parser for text that must say something: '' or spaces would be accepted and then mean nothing (an empty worker id in logs and /api/health). */
export function nonBlankOption(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a non-empty value');
  return value;
}

/** An option parser for one of a fixed set of values, as the HTTP API accepts them. */
export function choiceOption<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!choices.includes(value as T)) throw new InvalidArgumentError(`expected ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`);
    return value as T;
  };
}

/** An option parser for a file's text encoding (`charset` over HTTP). */
export function charsetOption(value: string): Charset {
  const charset = charsetOf(value);
  if (!charset) throw new InvalidArgumentError(`expected ${charsets.join(' or ')}`);
  return charset;
}
