import { describe, expect, it } from 'vitest';
import { snapshotNameProblem } from './snapshot-name.js';

describe('snapshotNameProblem', () => {
  it('counts characters as the databases do: 120 emoji pass, 121 are refused with their count', () => {
    expect(snapshotNameProblem('\u{1F4C8}'.repeat(120))).toBeNull();
    expect(snapshotNameProblem('\u{1F4C8}'.repeat(121))).toBe('a snapshot name is at most 120 characters (this one has 121)');
    expect(snapshotNameProblem('S&OP Dec · Konsens')).toBeNull();
  });

  it('refuses an empty name and a control character (an escape sequence, a line break), naming it', () => {
    expect(snapshotNameProblem('')).toMatch(/1 to 120 characters/);
    expect(snapshotNameProblem('S&OP\u001b[2JDec')).toMatch(/no control character \(U\+001B\)/);
    expect(snapshotNameProblem('two\nlines')).toMatch(/U\+000A/);
  });
});
