// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccuracyResponse } from '../api/types.js';
import { setFormatLocale } from '../format.js';
import { AccuracyPortfolio } from './AccuracyPortfolio.js';

beforeEach(() => setFormatLocale('en-US'));
afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

const snapshot = { id: 4, datasetId: 'd1', mark: 10, cause: 'settings' as const, createdAt: 1, historyEnd: '2026-10-19', forecastStart: '2026-10-26', forecastEnd: '2027-04-19', skuCount: 120, skusWithForecast: 117, bytes: 100, portfolio: { wape: 10, bias: 1 }, name: null };
const figures = (points: number) => ({ wape: 12.6, bias: 0.01, mae: 5.4, points, coverage80: 88.5, coverage95: 99.6 });
const actuals = { id: 'act_1', datasetId: 'd1', batchId: null, createdAt: 2, markBefore: 20, skusChanged: 117, skusAdded: 0, periodsAdded: 4, valuesRevised: 0, lastDate: '2026-11-16', historyEnd: '2026-11-16' };
const answer = (over: Partial<AccuracyResponse> = {}) => ({
  snapshot, provisional: [], starts: [], startsLabel: '2026-10-26', actuals, portfolio: figures(468),
  summed: { wape: 2.3, bias: 0.01, points: 4 }, total: 117, items: [], by: null, attributes: [], groups: [],
  byStep: [1, 2, 3, 4].map((step) => ({ step, ...figures(117) })),
  ...over,
}) as unknown as AccuracyResponse;

const headline = () => screen.getByRole('heading', { level: 3 }).textContent;

describe('AccuracyPortfolio headline', () => {
  it('says which actuals it scores: how many periods and their dates (was: "… against the actuals since", ending mid-sentence)', () => {
    render(<AccuracyPortfolio a={answer()} starts={null} newerUnscored={null} frequency="weekly" />);
    expect(headline()).toBe('Portfolio: snapshot #4 (settings, forecasts from Oct 26, 2026) against the actuals appended after it: 4 weeks scored, Oct 26, 2026 – Nov 16, 2026');
  });

  it('ends where the snapshot\'s forecast ends when the actuals run past it, counts months, and gives only the start when a period is still days to date', () => {
    const short = { ...snapshot, forecastEnd: '2026-11-02' };
    render(<AccuracyPortfolio a={answer({ snapshot: short, byStep: [1, 2].map((step) => ({ step, ...figures(117) })) })} starts={null} newerUnscored={null} frequency="weekly" />);
    expect(headline()).toMatch(/: 2 weeks scored, Oct 26, 2026 – Nov 2, 2026$/);
    cleanup();
    const provisional = [{ period: '2026-12-01', from: '2026-12-01', to: '2026-12-05', periodDays: 31, skus: 3 }];
    render(<AccuracyPortfolio a={answer({ provisional, byStep: [{ step: 1, ...figures(117) }, { step: 2, ...figures(0) }] })} starts={null} newerUnscored={null} frequency="monthly" />);
    expect(headline()).toMatch(/: 1 month scored, from Oct 26, 2026$/);
  });

  it('names a named snapshot by its name, its number and cause after it (was: "snapshot #2 (edits, …)" after the planner named it "S&OP KW47"; planner walkthrough, finding 8)', () => {
    render(<AccuracyPortfolio a={answer({ snapshot: { ...snapshot, name: 'S&OP KW47' } })} starts={null} newerUnscored={{ ...snapshot, id: 5, name: 'S&OP KW48' }} frequency="weekly" />);
    expect(headline()).toBe('Portfolio: “S&OP KW47” (snapshot #4, settings, forecasts from Oct 26, 2026) against the actuals appended after it: 4 weeks scored, Oct 26, 2026 – Nov 16, 2026');
    expect(screen.getByTestId('accuracy-default-note').textContent).toMatch(/The newer “S&OP KW48” \(#5\) \(forecasts from/);
  });

  it('says nothing is scored yet when no point is (the paragraph under it says why)', () => {
    render(<AccuracyPortfolio a={answer({ actuals: null, portfolio: figures(0), byStep: [] })} starts={null} newerUnscored={null} frequency="weekly" />);
    expect(headline()).toMatch(/against the actuals appended after it: nothing to score yet$/);
    expect(screen.getByTestId('accuracy-no-points').textContent).toMatch(/^No actuals appended since this snapshot yet/);
  });
});

describe('AccuracyPortfolio figures', () => {
  it('names its WAPE "WAPE against actuals", told apart from the Forecasts page\'s backtest in its title (was: "WAPE" here and "Portfolio WAPE" there, two figures read as one)', () => {
    render(<AccuracyPortfolio a={answer()} starts={null} newerUnscored={null} frequency="weekly" />);
    const term = screen.getByText('WAPE against actuals');
    expect(term.tagName).toBe('DT');
    expect(term.parentElement!.getAttribute('title')).toMatch(/^The snapshot's forecasts against the actuals appended after it.*Not the Forecasts page's Backtest WAPE/);
  });
});
