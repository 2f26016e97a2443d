import { describe, expect, it } from 'vitest';
import { LineLedger } from './line-ledger.js';

describe('LineLedger.setAsideWarning', () => {
  it('counts one line in the singular (was: "1 lines set aside as not data")', () => {
    const one = new LineLedger();
    one.setAside(3, 'empty line');
    expect(one.setAsideWarning()).toBe('1 line set aside as not data: 1 empty line');
    const more = new LineLedger();
    for (const line of [3, 4]) more.setAside(line, 'empty line');
    more.setAside(9, 'repeated header');
    expect(more.setAsideWarning()).toBe('3 lines set aside as not data: 2 empty lines, 1 repeated header');
  });
});
