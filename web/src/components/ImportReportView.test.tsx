// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../api/types.js';
import { setFormatLocale } from '../format.js';
import { ImportReportView } from './ImportReportView.js';

afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

const report = {
  format: 'long', frequency: 'monthly', skus: 1200, rows: 34_000, dateRange: { start: '2023-01-01', end: '2025-12-01' },
  rejectedCount: 0, duplicates: 0, warnings: [], rejected: [], tooShort: [], gaps: [],
} as unknown as ImportReport;

describe('ImportReportView', () => {
  it('writes the date range in the browser’s date format, with the ISO dates in the tooltip', () => {
    setFormatLocale('de-DE');
    render(<ImportReportView report={report} />);
    const dates = screen.getByTestId('import-date-range');
    expect(dates.textContent).toBe('01.01.2023 → 01.12.2025');
    expect([...dates.querySelectorAll('time')].map((t) => [t.getAttribute('datetime'), t.getAttribute('title')])).toEqual([
      ['2023-01-01', '2023-01-01'],
      ['2025-12-01', '2025-12-01'],
    ]);
  });

  it('writes every count with the locale’s grouping, as the hints beside it do (was: "Lines summed 1079")', () => {
    setFormatLocale('en-US');
    render(<ImportReportView report={{ ...report, duplicates: 1079, rejectedCount: 1, rejected: [{ line: 3, reason: 'bad date' }] } as unknown as ImportReport} />);
    expect(screen.getByTestId('lines-summed').textContent).toBe('1,079');
    expect(screen.getByText('1,200')).toBeTruthy();
    expect(screen.getByText('34,000')).toBeTruthy();
    expect(screen.getByText('1 rejected row')).toBeTruthy();
  });
});
