import { describe, expect, it } from 'vitest';
import { modelHistory } from './model-history.js';

const dates = ['2024-09-01', '2024-10-01', '2024-11-01', '2024-12-01'];
const span = (date: string, value: number) => ({ [date]: { from: date, to: date.replace(/01$/, '05'), value } });

describe('modelHistory', () => {
  it('leaves out the trailing provisional period (the month to date): the models train on whole periods', () => {
    const h = modelHistory({ dates, original: [100, 110, 120, 18], edits: { 1: 111 }, provisional: span('2024-12-01', 18) });
    expect(h).toEqual({ dates: dates.slice(0, 3), values: [100, 111, 120], leftOut: 1 });
  });

  it('leaves out every provisional period of the trailing run, and nothing for a series without one', () => {
    const provisional = { ...span('2024-11-01', 40), ...span('2024-12-01', 18) };
    expect(modelHistory({ dates, original: [100, 110, 40, 18], edits: {}, provisional })).toMatchObject({ dates: dates.slice(0, 2), leftOut: 2 });
    expect(modelHistory({ dates, original: [100, 110, 120, 130], edits: {} })).toEqual({ dates, values: [100, 110, 120, 130], leftOut: 0 });
  });

  it('keeps a provisional value inside the history (a period a later file passed over): closing up the dates would shift the season', () => {
    const h = modelHistory({ dates, original: [100, 30, 120, 130], edits: {}, provisional: span('2024-10-01', 30) });
    expect(h).toEqual({ dates, values: [100, 30, 120, 130], leftOut: 0 });
  });

  it('keeps a provisional value the planner edited (the month to date grossed up): the planner\'s value for the whole period', () => {
    const h = modelHistory({ dates, original: [100, 110, 120, 18], edits: { 3: 125 }, provisional: span('2024-12-01', 18) });
    expect(h).toEqual({ dates, values: [100, 110, 120, 125], leftOut: 0 });
  });

  it('ignores a flag whose value is no longer the stored one, as the stores do (a whole period written by an older process)', () => {
    const h = modelHistory({ dates, original: [100, 110, 120, 130], edits: {}, provisional: span('2024-12-01', 18) });
    expect(h.leftOut).toBe(0);
  });
});
