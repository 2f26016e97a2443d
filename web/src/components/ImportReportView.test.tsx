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
});
