import { describe, expect, it } from 'vitest';
import { snapshotNameKey, snapshotNameProblem } from './snapshot-name.js';
import { readSnapshotRef } from './snapshot-ref.js';

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

describe('names and lookups', () => {
  it('refuses a name of digits alone, which ?snapshot= and --snapshot would read as an id; digits with a word pass', () => {
    expect(snapshotNameProblem('2024')).toMatch(/not digits alone \('2024'\).*"FY2024"/);
    for (const ok of ['FY2024', '#12', '12 Dec', '\u0661\u0662']) expect(snapshotNameProblem(ok), ok).toBeNull();
  });

  it('compares names as a planner sees them: letter case, composition, runs and kinds of spaces aside', () => {
    const key = snapshotNameKey('S&OP Dec');
    for (const same of ['s&op dec', 'S&OP  DEC', ' S&OP\tDec ', 'S&OP\u00a0Dec']) expect(snapshotNameKey(same), same).toBe(key);
    expect(snapshotNameKey('Caf\u00e9')).toBe(snapshotNameKey('CAFE\u0301'));
    expect(snapshotNameKey('S&OP Dec.')).not.toBe(key);
    expect(snapshotNameKey('S&OPDec')).not.toBe(key);
  });

  it('reads digits as an id, always, and anything else as a name (trimmed); refuses empty text and an id past the bounds', () => {
    expect(readSnapshotRef('12')).toEqual({ ref: 12 });
    expect(readSnapshotRef(' 012 ')).toEqual({ ref: 12 });
    expect(readSnapshotRef('  S&OP Dec ')).toEqual({ ref: 'S&OP Dec' });
    expect(readSnapshotRef('#12')).toEqual({ ref: '#12' });
    expect(readSnapshotRef('-1')).toEqual({ ref: '-1' });
    for (const bad of ['', '   ', '0', '99999999999999999999']) expect(readSnapshotRef(bad), bad).toHaveProperty('refusal');
  });
});
