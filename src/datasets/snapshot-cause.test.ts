import { describe, expect, it } from 'vitest';
import { causeOf } from './snapshots.js';

describe('causeOf: what a snapshot says it followed, from the dataset\'s newest job', () => {
  it('reads an actuals append\'s own reason as actuals, whatever its batch (planner walkthrough, finding 11)', () => {
    expect(causeOf({ lastJobReason: 'actuals_append' }, false)).toBe('actuals');
    expect(causeOf({ lastJobReason: 'actuals_append' }, true)).toBe('actuals');
  });

  it('tells an append queued as dataset_upload before it had a reason of its own by its batch, and an import by none', () => {
    expect(causeOf({ lastJobReason: 'dataset_upload' }, true)).toBe('actuals');
    expect(causeOf({ lastJobReason: 'dataset_upload' }, false)).toBe('import');
    expect(causeOf({ lastJobReason: 'manual_edit_data_cleaning' }, false)).toBe('edits');
    expect(causeOf({ lastJobReason: 'settings_change' }, false)).toBe('settings');
    expect(causeOf({ lastJobReason: 'manual_trigger' }, false)).toBe('manual');
  });
});
