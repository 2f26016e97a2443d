import { describe, expect, it } from 'vitest';
import { accuracyFileName, snapshotLabel } from './snapshot-label.js';

describe('snapshotLabel / accuracyFileName', () => {
  it('names a named snapshot by its name and number, an unnamed one by its number (planner walkthrough, finding 8)', () => {
    expect(snapshotLabel({ id: 2, name: 'S&OP KW47' })).toBe('“S&OP KW47” (snapshot #2)');
    expect(snapshotLabel({ id: 2, name: null })).toBe('snapshot #2');
  });

  it("puts the name in accuracy.csv's file name, without what a file system refuses", () => {
    expect(accuracyFileName({ id: 2, name: 'S&OP KW47' }, '')).toBe('accuracy-2-S&OP_KW47.csv');
    expect(accuracyFileName({ id: 2, name: 'Q4: a/b' }, 'Filiale')).toBe('accuracy-2-Q4_a_b-by-Filiale.csv');
    expect(accuracyFileName({ id: 2, name: null }, '')).toBe('accuracy-2.csv');
    expect(accuracyFileName(undefined, '')).toBe('accuracy-latest.csv');
  });
});
