import { describe, expect, it } from 'vitest';
import { validationSplit } from '../../bench/validation-split.js';

describe('validationSplit (bench/choice-dump.ts)', () => {
  const train = Array.from({ length: 20 }, (_, i) => i);

  it('holds out the last horizon points at origin 1 and the block before them at origin 2, fitting only on what precedes', () => {
    expect(validationSplit(train, 4, 1)).toEqual({ fit: train.slice(0, 16), target: [16, 17, 18, 19] });
    expect(validationSplit(train, 4, 2)).toEqual({ fit: train.slice(0, 12), target: [12, 13, 14, 15] });
  });

  it('gives nothing where fewer than 8 points would be left to fit on', () => {
    expect(validationSplit(train, 6, 2)).toEqual({ fit: train.slice(0, 8), target: [8, 9, 10, 11, 12, 13] });
    expect(validationSplit(train, 7, 2)).toBeNull();
  });
});
