import { describe, expect, it } from 'vitest';
import { holdoutZeroWarning } from './holdout-warning.js';

describe('holdoutZeroWarning', () => {
  it('names the ensemble when it is the first enabled model (the default), else that model by its name', () => {
    expect(holdoutZeroWarning(['ensemble', 'ets'])).toBe('Holdout 0 turns off cross-validation: the forecast shown is the ensemble alone (not the mix), its intervals are not calibrated, and nothing is scored.');
    expect(holdoutZeroWarning(['ets', 'ensemble'], (id) => id.toUpperCase())).toMatch(/the forecast shown is ETS \(the first enabled model\) alone \(not the mix\)/);
  });
});
