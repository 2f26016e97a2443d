// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SkuSeries } from '../api/types.js';
import { CleaningGrid, cellValueProblem } from './CleaningGrid.js';

afterEach(cleanup);

const series = {
  sku: 'A', attributes: {}, dates: ['2024-01-01', '2024-02-01'], original: [10, 12], cleaned: [10, 12], edits: [],
  length: 2, volume: 22, demandClass: 'smooth', outliers: [],
} as unknown as SkuSeries;

function grid() {
  const onEdit = vi.fn();
  render(<CleaningGrid series={series} busy={false} focusDate={null} onEdit={onEdit} onReset={() => {}} onAcceptOutliers={() => {}} onUndoAll={() => {}} />);
  return { onEdit, input: screen.getByLabelText('Value on 2024-01-01') as HTMLInputElement };
}

describe('CleaningGrid value cells', () => {
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

  it('refuses text that is no number (the browser reports badInput and an empty value) and clears the message once fixed', () => {
    const { onEdit, input } = grid();
    // Chromium gives '' with validity.badInput for "1-" or "1e400"; jsdom has no badInput.
    Object.defineProperty(input, 'validity', { configurable: true, get: () => ({ badInput: input.value === '' }) });
    fireEvent.change(input, { target: { value: '' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onEdit).not.toHaveBeenCalled();
    expect(screen.getByText('Enter a number of 0 or more.')).toBeTruthy();
    fireEvent.change(input, { target: { value: '3' } });
    expect(input.getAttribute('aria-invalid')).not.toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onEdit).toHaveBeenCalledWith('2024-01-01', 3);
  });

  it('judges values as the API does: finite and >= 0', () => {
    expect(cellValueProblem('0')).toBeNull();
    expect(cellValueProblem('12.25')).toBeNull();
    expect(cellValueProblem('-0.5')).toMatch(/negative/);
    expect(cellValueProblem('1e400')).toMatch(/number/);
    expect(cellValueProblem('1e15')).toBeNull();
    expect(cellValueProblem('2e15')).toMatch(/Too large/);
    expect(cellValueProblem('', true)).toMatch(/number/);
  });
});
