// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelRun } from '../api/types.js';
import { ModelComparisonTable } from './ModelComparisonTable.js';

function run(modelId: string, mae: number, warnings: string[] = []): ModelRun {
  return {
    modelId, method: 'grid', jobId: 1, finishedAt: 1, parameters: {}, aicc: null, warnings,
    metrics: { mae, rmse: mae * 1.3, mape: 10, smape: 10, mase: 1, wape: 10, bias: 0 },
  };
}

const runs = [run('ensemble', 130), run('ets', 117), run('seasonal_naive', 102)];
const common = { runs, metric: 'mae' as const, shown: new Set<string>(), onToggle: vi.fn(), onChoose: vi.fn(), busy: false };

afterEach(cleanup);

describe('ModelComparisonTable', () => {
  it('gives a combination its own starred row with its error, beside models that may score lower, and never calls it best', () => {
    render(<ModelComparisonTable {...common} bestModel="ensemble+ets+seasonal_naive" selectedBy="metric" choice="all 3 models: ensemble kept at 60%, the others at 20% each" choiceWhy="The ensemble keeps its weight" shownError={125} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows[0].dataset.testid).toBe('shown-row');
    expect(within(rows[0]).getByText('ensemble+ets+seasonal_naive')).toBeTruthy();
    expect(within(rows[0]).getByText('125')).toBeTruthy();
    const choice = within(rows[0]).getByText('all 3 models: ensemble kept at 60%, the others at 20% each');
    expect(choice.closest('td')!.getAttribute('title')).toBe('The ensemble keeps its weight');
    // the planner can see seasonal_naive's lower MAE, and choose it
    const snaive = screen.getAllByTestId('model-row').find((r) => r.dataset.model === 'seasonal_naive')!;
    expect(within(snaive).getByText('102')).toBeTruthy();
    expect(within(snaive).getByRole('button', { name: 'Use seasonal_naive' })).toBeTruthy();
    expect(screen.getByRole('table').textContent).not.toMatch(/best/i);
  });

  it('says under the table, not only in a tooltip, when a model scores lower than the shown mix, and why the mix is kept', () => {
    render(<ModelComparisonTable {...common} bestModel="ensemble+ets+seasonal_naive" selectedBy="metric" choice="mix" choiceWhy="The ensemble keeps its weight whatever its error on this SKU." shownError={125} />);
    const note = screen.getByTestId('lower-note');
    expect(note.textContent).toMatch(/^seasonal_naive scores a lower MAE on this SKU \(102 against the shown forecast's 125\), on the same cross-validation points\. The ensemble keeps its weight whatever its error on this SKU\. “Use” pins seasonal_naive for this SKU\.$/);
    expect(screen.getByRole('table').getAttribute('aria-describedby')).toBe(note.id);
    cleanup();
    // No note where no model scores lower, nor for a single model shown.
    render(<ModelComparisonTable {...common} bestModel="ensemble+ets+seasonal_naive" selectedBy="metric" choice="mix" shownError={100} />);
    expect(screen.queryByTestId('lower-note')).toBeNull();
    cleanup();
    render(<ModelComparisonTable {...common} bestModel="ets" selectedBy="override" choice="chosen by you" shownError={117} />);
    expect(screen.queryByTestId('lower-note')).toBeNull();
  });

  it("under MASE, shows and compares the mix's error as the MAE it is (was: an MAE of 125 beside MASEs of 1, and a note on every SKU)", () => {
    render(<ModelComparisonTable {...common} metric="mase" bestModel="ensemble+ets+seasonal_naive" selectedBy="metric" choice="mix" shownError={110} />);
    const shownRow = screen.getByTestId('shown-row');
    const cells = within(shownRow).getAllByRole('cell').map((c) => c.textContent);
    // ☆, name, then mae rmse mape smape mase wape bias: the 110 under MAE, nothing under MASE.
    expect(cells[2]).toBe('110');
    expect(cells[6]).toBe('');
    expect(screen.getByTestId('lower-note').textContent).toMatch(/^seasonal_naive scores a lower MAE on this SKU \(102 against the shown forecast's 110\)/);
  });

  it('stars the model row itself when one model is shown, with no extra row', () => {
    render(<ModelComparisonTable {...common} bestModel="ets" selectedBy="override" choice="chosen by you" shownError={117} />);
    expect(screen.queryByTestId('shown-row')).toBeNull();
    const rows = screen.getAllByTestId('model-row');
    expect(rows[0].dataset.model).toBe('ets');
    expect(within(rows[0]).getByRole('button', { name: 'Auto' })).toBeTruthy();
  });

  it("marks a model whose run left notes, and shows them on a line under its row, readable without hovering (was: the response had none)", () => {
    const shrunk = 'seasonal pattern (every 12 periods) reduced to 63% of its estimated size: the rest is estimated to be noise';
    const short = 'history too short for a holdout of 6; held out 4';
    const noted = [run('ensemble', 130), run('damped_trend', 117, [shrunk, short]), run('seasonal_naive', 102)];
    render(<ModelComparisonTable {...common} runs={noted} bestModel="damped_trend" selectedBy="metric" choice="lowest cross-validation error" shownError={117} />);
    const row = screen.getAllByTestId('model-row').find((r) => r.dataset.model === 'damped_trend')!;
    // The marker says what it marks, to a screen reader too, and the row's name cell is described by the notes.
    expect(within(row).getByRole('img', { name: '2 notes below' }).textContent).toBe('⚠');
    const notes = row.nextElementSibling as HTMLElement;
    expect(notes.dataset.testid).toBe('model-notes');
    expect(notes.dataset.model).toBe('damped_trend');
    expect(within(notes).getAllByRole('listitem').map((li) => li.textContent)).toEqual([`⚠ ${shrunk}`, `⚠ ${short}`]);
    const described = row.querySelector('.model-name')!.getAttribute('aria-describedby')!;
    expect(document.getElementById(described)).toBe(notes.querySelector('td[colspan]'));
    // The notes are in the page's text, not in a title attribute.
    expect(notes.querySelector('[title]')).toBeNull();
    // Models without notes: no marker, no line.
    expect(screen.getAllByTestId('model-notes')).toHaveLength(1);
    for (const other of screen.getAllByTestId('model-row').filter((r) => r.dataset.model !== 'damped_trend')) {
      expect(within(other).queryByRole('img')).toBeNull();
      expect(other.querySelector('.model-name')!.getAttribute('aria-describedby')).toBeNull();
    }
  });
});
