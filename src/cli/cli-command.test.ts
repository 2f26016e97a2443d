import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { integerOption } from './cli-command.js';

/** The integer flags (--port, --workers, --concurrency, --horizon, --snapshot, ...) read numbers as PORT does: decimal digits. */
describe('integerOption', () => {
  it('takes decimal digits within the bounds', () => {
    expect(integerOption(0, 100)('0')).toBe(0);
    expect(integerOption(1, 100)('12')).toBe(12);
    expect(integerOption(1, 100)(' 7 ')).toBe(7); // trimmed, as the environment's values are
    expect(integerOption(0, 65535)('65535')).toBe(65535);
  });

  it('refuses what Number() would take but is not written as an integer', () => {
    for (const value of ['1e3', '0x10', '0o7', '0b1', '2.0', '+5', '-0', ' ', '', 'Infinity', '1_000']) {
      expect(() => integerOption(0, 100)(value), value).toThrow(InvalidArgumentError);
    }
  });

  it('refuses numbers out of bounds, saying which', () => {
    expect(() => integerOption(1, 100)('0')).toThrow('expected an integer from 1 to 100');
    expect(() => integerOption(0, 65535)('65536')).toThrow('expected an integer from 0 to 65535');
  });
});
