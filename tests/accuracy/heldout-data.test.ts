/**
 * The held-out set builder (bench/heldout-data.ts): the tourism competition's wide file, whose
 * columns start on different rows and all end on the last one, and M4's one-row-a-series files.
 * The last `horizon` values become the test; bad input names the column and the row.
 */
import { describe, expect, it } from 'vitest';
import { HeldoutDataError, m4Series, parseHeldoutSet, tourismSeries } from '../../bench/heldout-data.js';

describe('tourismSeries', () => {
  const months = Array.from({ length: 30 }, (_, i) => 100 + i);
  const quarters = Array.from({ length: 10 }, (_, i) => 10 + i);
  // m1 starts on the first row, q7 on row 21: blank cells until then.
  const csv = ['m1,q7,,', ...months.map((m, i) => `${m},${i >= 20 ? quarters[i - 20] : ''},,`)].join('\n');

  it('takes each column from its first value to the last row and holds out the competition horizon', () => {
    const [m, q] = tourismSeries(csv);
    expect(m).toEqual({ id: 'tourism-m1', period: 'MONTHLY', frequency: 12, horizon: 24, train: months.slice(0, 6), test: months.slice(6) });
    expect(q).toEqual({ id: 'tourism-q7', period: 'QUARTERLY', frequency: 4, horizon: 8, train: [10, 11], test: quarters.slice(2) });
  });

  it('refuses a blank cell inside a series, naming the column and the row', () => {
    const gap = csv.split('\n').map((l, i) => (i === 5 ? l.replace(/^\d+/, '') : l)).join('\n');
    expect(() => tourismSeries(gap)).toThrow(/m1 has a blank cell on row 6 inside the series/);
  });

  it('keeps a series that ends before the last row up to its own last value', () => {
    const early = ['m1', ...months.map((m, i) => (i < 28 ? String(m) : ''))].join('\n');
    expect(tourismSeries(early)[0].test).toEqual(months.slice(4, 28));
  });

  it('refuses a column that is not a tourism series and a series not longer than its horizon', () => {
    expect(() => tourismSeries('m1,x2\n1,2\n')).toThrow(HeldoutDataError);
    expect(() => tourismSeries(['q1', ...quarters.slice(0, 8)].join('\n'))).toThrow(/q1 has 8 values, not more than its horizon 8/);
  });
});

describe('m4Series', () => {
  it('pairs train and test rows by id and keeps the values in order', () => {
    const train = '"V1","V2","V3","V4"\n"W1","1.5","2","3"\n"W2","4","5",""\n';
    const test = `"V1",${Array.from({ length: 13 }, (_, i) => `"V${i + 2}"`).join(',')}\n"W1",${Array(13).fill('"7"').join(',')}\n"W2",${Array(13).fill('"8"').join(',')}\n`;
    const [w1, w2] = m4Series(train, test);
    expect(w1).toEqual({ id: 'm4-W1', period: 'WEEKLY', frequency: 52, horizon: 13, train: [1.5, 2, 3], test: Array(13).fill(7) });
    expect(w2.train).toEqual([4, 5]);
  });

  it('refuses a series without its test row', () => {
    expect(() => m4Series('"V1","V2"\n"W9","1"\n', '"V1","V2"\n')).toThrow(/W9 has no test row/);
  });
});

describe('parseHeldoutSet', () => {
  const line = (o: Record<string, unknown>) => JSON.stringify({ id: 'a', frequency: 4, horizon: 2, train: [1, 2, 3], test: [4, 5], ...o });

  it('reads the lines heldout:data writes, blank lines aside', () => {
    const text = tourismSeries(['q1', ...Array.from({ length: 12 }, (_, i) => String(i + 1))].join('\n')).map((s) => JSON.stringify(s)).join('\n') + '\n\n';
    expect(parseHeldoutSet(text, 'f')).toEqual([{ id: 'tourism-q1', period: 'QUARTERLY', frequency: 4, horizon: 8, train: [1, 2, 3, 4], test: [5, 6, 7, 8, 9, 10, 11, 12] }]);
  });

  it('refuses, naming the line, what the bench could only score wrongly', () => {
    const bad: [string, RegExp][] = [
      ['{"id":', /f line 2: not a JSON object/],
      ['[1,2]', /f line 2: not a JSON object/],
      [line({ id: 'b', frequency: 1 }), /f line 2 \(b\): 'frequency' must be 12, 4 or 52, not 1/],
      [line({ id: 'b', horizon: 0 }), /'horizon' must be a positive integer/],
      [line({ id: 'b', train: [1, null, 3] }), /'train' must be an array of at least 2 finite numbers/],
      [line({ id: 'b', test: [4] }), /'test' must be 2 finite numbers \(the horizon\), not 1/],
      [line({}), /f line 2: id 'a' repeats an earlier line/],
    ];
    for (const [second, message] of bad) {
      expect(() => parseHeldoutSet(`${line({})}\n${second}\n`, 'f')).toThrow(message);
    }
    expect(() => parseHeldoutSet('\n', 'f')).toThrow(/f: no series/);
  });
});
