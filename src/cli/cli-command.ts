import { InvalidArgumentError, type Command } from 'commander';
import { charsetOf, charsets, type Charset } from '../datasets/text-charset.js';

/** One subcommand of `skucast`: adds itself (options and action) to the program. */
export interface CliCommand {
  name: string;
  register(program: Command): void;
}

/**
 * The longest delay a Node timer takes (2^31-1 ms, about 24.8 days): setTimeout turns a longer
 * one into 1 ms with a TimeoutOverflowWarning, so `--lease-ms 99999999999` renewed every
 * millisecond and `--shutdown-ms 99999999999` released at once. Every option that becomes a timer
 * stops here.
 */
export const maxTimerMs = 2_147_483_647;

/**
 * An option parser for integers from min to max; commander prints the flag and the reason. Every
 * integer option has an upper bound: an unbounded one ran with values nothing could use
 * (`--prefetch 99999999999999999999` made every claim fail "out of range for type bigint").
 * Decimal digits only, as the environment's numbers (src/config/env.ts): Number() alone took
 * `--port 1e3` and `--port 0x10`, which PORT=1e3 refuses.
 */
export function integerOption(min: number, max: number) {
  return (value: string): number => {
    const digits = value.trim();
    const n = Number(digits);
    const wrong = !/^\d+$/.test(digits) || n < min || n > max;
    if (wrong) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
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
