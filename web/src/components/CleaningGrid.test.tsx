// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SkuSeries } from '../api/types.js';
import { formatDate, setFormatLocale } from '../format.js';
import { CleaningGrid, readCellValue } from './CleaningGrid.js';

afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

const series = {
  sku: 'A', attributes: {}, dates: ['2024-01-01', '2024-02-01'], original: [10, 12], cleaned: [10, 12], edits: [],
  length: 2, volume: 22, demandClass: 'smooth', outliers: [],
} as unknown as SkuSeries;

function grid() {
  const onEdit = vi.fn();
  render(<CleaningGrid series={series} busy={false} focusDate={null} onEdit={onEdit} onReset={() => {}} onAcceptOutliers={() => {}} onUndoAll={() => {}} />);
  return { onEdit, input: screen.getByLabelText(`Value on ${formatDate('2024-01-01')}`) as HTMLInputElement };
}

describe('CleaningGrid value cells', () => {
  it('names each input and Reset by the date its row shows, not the ISO date (was "Value on 2024-01-01" beside 01.01.2024)', () => {
    setFormatLocale('de-DE');
    const edited = { ...series, cleaned: [7, 12], edits: [{ date: '2024-01-01', value: 7 }] } as unknown as SkuSeries;
    render(<CleaningGrid series={edited} busy={false} focusDate={null} onEdit={() => {}} onReset={() => {}} onAcceptOutliers={() => {}} onUndoAll={() => {}} />);
    const input = screen.getByRole('textbox', { name: 'Value on 01.01.2024' });
    expect(input.closest('tr')!.querySelector('td')!.textContent).toBe('01.01.2024');
    expect(screen.getByRole('textbox', { name: 'Value on 01.02.2024' })).toBeTruthy();
    expect(screen.queryByLabelText(/2024-01-01/)).toBeNull();
  });

  it('sends a non-negative number, decimals included', () => {
    const { onEdit, input } = grid();
    fireEvent.change(input, { target: { value: '7.5' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.blur(input);
    expect(onEdit).toHaveBeenCalledTimes(1);
    expect(onEdit).toHaveBeenCalledWith('2024-01-01', 7.5);
    expect(input.getAttribute('aria-invalid')).not.toBe('true');
  });

  it('refuses a negative value beside the field, in plain words, and sends nothing', () => {
    const { onEdit, input } = grid();
    fireEvent.change(input, { target: { value: '-5' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.blur(input);
    expect(onEdit).not.toHaveBeenCalled();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(input.getAttribute('aria-describedby') ?? '');
    expect(message?.textContent).toBe('Sales cannot be negative: enter 0 or more.');
    expect(message?.textContent).not.toMatch(/edits\[/);
    // Escape puts the value back and clears the message; a valid value then goes through.
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.value).toBe('10');
    expect(input.getAttribute('aria-invalid')).not.toBe('true');
    fireEvent.change(input, { target: { value: '0' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onEdit).toHaveBeenCalledWith('2024-01-01', 0);
  });

  it('reads a German value the German way, shows Original and Cleaned alike, and refuses what it cannot read', () => {
    setFormatLocale('de-DE');
    const german = { ...series, original: [2790.4, 12], cleaned: [2790.4, 12] } as SkuSeries;
    const onEdit = vi.fn();
    render(<CleaningGrid series={german} busy={false} focusDate={null} onEdit={onEdit} onReset={() => {}} onAcceptOutliers={() => {}} onUndoAll={() => {}} />);
    const input = screen.getByLabelText(`Value on ${formatDate('2024-01-01')}`) as HTMLInputElement;
    expect(input.type).toBe('text');
    expect(input.value).toBe('2.790,4');
    expect(input.closest('tr')?.querySelector('td.num')?.textContent).toBe('2.790,4');
    // Untouched, leaving the cell sends nothing.
    fireEvent.blur(input);
    expect(onEdit).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: '1234,5' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onEdit).toHaveBeenLastCalledWith('2024-01-01', 1234.5);
    fireEvent.change(input, { target: { value: '2.790,5' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onEdit).toHaveBeenLastCalledWith('2024-01-01', 2790.5);
    expect(onEdit).toHaveBeenCalledTimes(2);
    // "1.5" is no German number: 15 or 1.5 would be a guess.
    fireEvent.change(input, { target: { value: '1.5' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.blur(input);
    expect(onEdit).toHaveBeenCalledTimes(2);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Enter a number of 0 or more, written like 1.234,5.');
    fireEvent.change(input, { target: { value: '1,5' } });
    expect(input.getAttribute('aria-invalid')).not.toBe('true');
  });

  it('judges values as the API does: finite and >= 0', () => {
    setFormatLocale('en-US');
    expect(readCellValue('0', 'en-US')).toEqual({ value: 0, problem: null });
    expect(readCellValue('12.25', 'en-US').value).toBe(12.25);
    expect(readCellValue('-0.5', 'en-US').problem).toMatch(/negative/);
    expect(readCellValue('1e400', 'en-US').problem).toMatch(/number/);
    expect(readCellValue('1,000,000,000,000,000', 'en-US').value).toBe(1e15);
    expect(readCellValue('2000000000000000', 'en-US').problem).toBe('Too large: enter at most 1,000,000,000,000,000.');
    expect(readCellValue('abc', 'en-US').problem).toBe('Enter a number of 0 or more, written like 1,234.5.');
  });
});

describe('CleaningGrid suggested outliers', () => {
  const outlier = (index: number, date: string, value: number, accepted: boolean) => ({ index, date, value, suggested: 55.96, score: 9, accepted });
  const withOutliers = {
    ...series,
    dates: ['2025-06-16', '2025-06-23', '2025-06-30', '2025-07-07'],
    original: [50, 204, 197, 52],
    // 23.06 accepted (cleaned to the suggestion), 30.06 edited by hand to 60, 07.07 untouched.
    cleaned: [50, 55.96, 60, 52],
    outliers: [outlier(1, '2025-06-23', 204, true), outlier(2, '2025-06-30', 197, false), outlier(3, '2025-07-07', 52, false)],
  } as unknown as SkuSeries;

  it('drops a point accepted or edited by hand from the suggestions, their count and "Accept all", which names the rest (was: "Accept" on an accepted row, "7 suggested outliers" still counting it)', () => {
    setFormatLocale('en-US');
    const onAcceptOutliers = vi.fn();
    render(<CleaningGrid series={withOutliers} busy={false} focusDate={null} onEdit={() => {}} onReset={() => {}} onAcceptOutliers={onAcceptOutliers} onUndoAll={() => {}} />);
    expect(screen.getByText(/suggested outlier/).textContent).toBe('2 edited · 1 suggested outlier');
    expect(screen.getAllByRole('button', { name: 'Accept' })).toHaveLength(1);
    const row = (date: string) => screen.getByLabelText(`Value on ${formatDate(date)}`).closest('tr')!;
    expect(row('2025-06-23').textContent).toContain('outlier accepted');
    expect(row('2025-06-23').querySelector('button[name], .outlier-hint')).toBeNull();
    expect(row('2025-06-30').textContent).toContain('outlier, edited (suggested 55.96)');
    expect(row('2025-07-07').querySelector('.outlier-hint')!.textContent).toBe('outlier → 55.96 Accept');
    fireEvent.click(screen.getByRole('button', { name: 'Accept all suggested (1)' }));
    // Only the pending one: "all" would overwrite the hand edit of 30.06 with the suggestion.
    expect(onAcceptOutliers).toHaveBeenCalledWith(['2025-07-07']);
  });
});

describe('CleaningGrid undo all edits', () => {
  const edited = { ...series, cleaned: [7, 9] } as unknown as SkuSeries;

  it('asks first, naming how many edits go, and undoes only on "Yes" (was: one click threw every edit away, no redo)', async () => {
    const onUndoAll = vi.fn();
    render(<CleaningGrid series={edited} busy={false} focusDate={null} onEdit={() => {}} onReset={() => {}} onAcceptOutliers={() => {}} onUndoAll={onUndoAll} />);
    fireEvent.click(screen.getByRole('button', { name: 'Undo all edits' }));
    expect(onUndoAll).not.toHaveBeenCalled();
    const ask = screen.getByRole('group', { name: /^Undo all 2 edits of A\?/ });
    expect(ask.textContent).toMatch(/there is no redo/);
    // The safe choice has the focus; "Keep them" (or Escape) leaves the edits.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep them' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep them' }));
    expect(screen.queryByTestId('confirm-undo')).toBeNull();
    expect(onUndoAll).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Undo all edits' }));
    fireEvent.keyDown(screen.getByRole('button', { name: 'Keep them' }), { key: 'Escape' });
    expect(screen.queryByTestId('confirm-undo')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Undo all edits' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, undo 2 edits' }));
    expect(onUndoAll).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('confirm-undo')).toBeNull();
  });
});
