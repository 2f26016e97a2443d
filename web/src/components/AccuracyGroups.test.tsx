// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccuracyResponse } from '../api/types.js';
import { setFormatLocale } from '../format.js';
import { AccuracyGroups } from './AccuracyGroups.js';

beforeEach(() => setFormatLocale('en-US'));
afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

const group = (value: string, bias: number, summedBias: number) => ({
  value, skus: 40, wape: 11.6, bias, mae: 5, points: 156, coverage80: 88, coverage95: 99, summed: { wape: 2.9, bias: summedBias, points: 4 },
});
const groups = (gs: ReturnType<typeof group>[]) => ({ by: 'Category', groups: gs }) as unknown as Pick<AccuracyResponse, 'by' | 'groups'>;
const headers = () => screen.getAllByRole('columnheader').map((th) => th.textContent);
const cells = () => screen.getAllByTestId('accuracy-group').map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));

describe('AccuracyGroups', () => {
  it('shows one bias column when each group\'s bias equals the bias of its total, as it does by definition without negative actuals (was: "Bias" and "Bias of the total", identical on every row)', () => {
    render(<AccuracyGroups a={groups([group('Küche', 0.4, 0.4), group('Garten', -1.2, -1.2)])} />);
    expect(headers()).toEqual(['Category', 'SKUs', 'WAPE', 'Bias (also of the total)', '80%', '95%', 'WAPE of the total']);
    expect(screen.getByRole('columnheader', { name: 'Bias (also of the total)' }).getAttribute('title')).toMatch(/also the bias of its total: a sum's over-forecast is its SKUs' over-forecasts summed/);
    expect(cells()[0]).toEqual(['Küche', '40', '11.6%', '0.4%', '88%', '99%', '2.9%']);
  });

  it('keeps the total\'s bias as a column of its own when returns make it differ', () => {
    render(<AccuracyGroups a={groups([group('Küche', 0.4, 0.4), group('Garten', -1.2, -3.5)])} />);
    expect(headers()).toEqual(['Category', 'SKUs', 'WAPE', 'Bias', '80%', '95%', 'WAPE of the total', 'Bias of the total']);
    expect(cells()[1]).toEqual(['Garten', '40', '11.6%', '-1.2%', '88%', '99%', '2.9%', '-3.5%']);
  });
});
