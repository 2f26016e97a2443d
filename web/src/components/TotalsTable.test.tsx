// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setFormatLocale } from '../format.js';
import { useState, type ComponentProps } from 'react';
import { TotalsTable as Table, totalsRows } from './TotalsTable.js';

/** The table with its open state kept as the page keeps it. */
function TotalsTable(props: Omit<ComponentProps<typeof Table>, 'open' | 'onOpenChange'>) {
  const [open, setOpen] = useState(false);
  return <Table {...props} open={open} onOpenChange={setOpen} />;
}

afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

const series = {
  history: { dates: ['2024-11-01', '2024-12-01'], original: [12_345.6, 900], cleaned: [12_345.6, 80], skus: [3, 3], provisional: [0, 3], provisionalSpan: [null, { from: '2024-12-01', to: '2024-12-05', periodDays: 31 }] },
  forecast: {
    dates: ['2025-01-01', '2025-02-01'], mean: [2337.44, 2400], lower80: [2200, 2250], upper80: [2480, 2550], lower95: [2100.5, 2150], upper95: [2600, 2700],
    skus: [3, 3], actuals: [0, 0], provisional: [0, 0],
  },
};

/** Opens the table as a click on its summary does (jsdom toggles nothing by itself). */
function openTable(): void {
  const details = screen.getByTestId('totals-table-details') as HTMLDetailsElement;
  details.open = true;
  fireEvent(details, new Event('toggle'));
}

const cells = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map((c) => c.textContent);

describe('TotalsTable', () => {
  it('a row per period, history then forecast, the forecast rows marked, the bands beside the forecast, numbers in the browser locale', () => {
    setFormatLocale('de-DE');
    render(<TotalsTable series={series} group="store S2" csvName="totals.csv" onDownload={vi.fn()} />);
    openTable();
    const table = screen.getByRole('table', { name: 'store S2: summed history and forecast by period' });
    expect([...table.querySelectorAll('thead th')].map((c) => c.textContent)).toEqual(['Period', 'Group', 'Kind', 'Total', '95% lower', '95% upper', '80% lower', '80% upper']);
    const rows = within(table).getAllByTestId('totals-row');
    expect(rows.map((r) => r.dataset.kind)).toEqual(['history', 'history', 'forecast', 'forecast']);
    // In full (12.345,6, not 12,3K), a German decimal comma; the period by its date, the ISO date in the tooltip.
    expect(cells(rows[0])).toEqual(['01.11.2024', 'store S2', 'History', '12.345,6', '', '', '', '']);
    expect(cells(rows[1])[2]).toBe('History (partial period)');
    expect(cells(rows[2])).toEqual(['01.01.2025', 'store S2', 'Forecast', '2.337,4', '2.100,5', '2.600', '2.200', '2.480']);
    expect(rows[2].querySelector('time')?.getAttribute('datetime')).toBe('2025-01-01');
    expect(rows[2].className).toBe('forecast-row');
  });

  it('has no band columns the dataset left out (null from the API), and none at all without a forecast', () => {
    setFormatLocale('en-US');
    render(<TotalsTable series={{ ...series, forecast: { ...series.forecast, lower80: null, upper80: null } } as never} group="All SKUs" csvName="totals.csv" onDownload={vi.fn()} />);
    openTable();
    expect([...screen.getByRole('table').querySelectorAll('thead th')].map((c) => c.textContent)).toEqual(['Period', 'Group', 'Kind', 'Total', '95% lower', '95% upper']);
    cleanup();
    render(<TotalsTable series={{ ...series, forecast: null }} group="All SKUs" csvName="totals.csv" onDownload={vi.fn()} />);
    openTable();
    expect([...screen.getByRole('table').querySelectorAll('thead th')].map((c) => c.textContent)).toEqual(['Period', 'Group', 'Kind', 'Total']);
    expect(totalsRows({ ...series, forecast: null }).map((r) => r.kind)).toEqual(['history', 'history']);
  });

  it('is collapsed behind "Show table" with the count of periods (its rows not rendered until opened), scrolls in a focusable named region, and links totals.csv beside it', () => {
    setFormatLocale('en-US');
    const onDownload = vi.fn();
    render(<TotalsTable series={series} group="All SKUs" csvName="totals.csv" onDownload={onDownload} />);
    const details = screen.getByTestId('totals-table-details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Show table (4 periods: 2 of history, 2 forecast)');
    // Closed, its rows are not rendered at all (a daily total has thousands).
    expect(screen.queryByRole('table')).toBeNull();
    openTable();
    expect(details.querySelector('summary')?.textContent).toMatch(/^Hide table/);
    const region = screen.getByRole('region', { name: 'All SKUs: summed history and forecast by period' });
    expect(region.tabIndex).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: 'Download totals.csv' }));
    expect(onDownload).toHaveBeenCalledTimes(1);
  });
});
