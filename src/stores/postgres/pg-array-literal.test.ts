import { describe, expect, it } from 'vitest';
import { pgArrayLiteral } from './pg-array-literal.js';

describe('pgArrayLiteral', () => {
  it('quotes strings, escapes quotes and backslashes as an array literal does, and leaves null unquoted', () => {
    expect(pgArrayLiteral(['a', 'say "hi"', 'back\\slash', '', 'NULL', null])).toBe('{"a","say \\"hi\\"","back\\\\slash","","NULL",null}');
  });

  it('writes integers bare and an empty array as {}', () => {
    expect(pgArrayLiteral([1, 2, -3])).toBe('{1,2,-3}');
    expect(pgArrayLiteral([])).toBe('{}');
  });

  it('hands back an array whose JSON needs an escape the literal would misread (newline, control char, lone surrogate)', () => {
    for (const odd of ['line\nbreak', 'tab\there', 'bell\u0007', 'half\ud800']) {
      const values = ['plain', odd];
      expect(pgArrayLiteral(values)).toBe(values);
    }
  });
});
