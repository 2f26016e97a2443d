// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client.js';
import type { DatasetCreated } from '../api/types.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { UploadPanel } from './UploadPanel.js';

const report = {
  rows: 4, skus: 2, rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [], format: 'long', frequency: 'monthly',
  detectedFrequency: 'monthly', dateRange: { start: '2024-01-01', end: '2024-02-01' }, mapping: { sku: 'item', date: 'month', quantity: 'units' },
};

// jsdom's Blob reads only through FileReader.
const read = (blob: Blob, as: 'readAsArrayBuffer' | 'readAsText') =>
  new Promise<never>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as never);
    reader[as](blob);
  });
Blob.prototype.arrayBuffer ??= function (this: Blob) { return read(this, 'readAsArrayBuffer'); };
Blob.prototype.text ??= function (this: Blob) { return read(this, 'readAsText'); };

afterEach(cleanup);

describe('UploadPanel', () => {
  it('lets the planner keep columns such as store and category as attributes, and sends them in the mapping', async () => {
    const preview = vi.fn(async (): Promise<DatasetCreated> => ({ datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, mapping: report.mapping, columns: ['item', 'month', 'units', 'store', 'category'], report } as unknown as DatasetCreated));
    const upload = vi.fn(async () => null);
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: upload, handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    const csv = 'item,month,units,store,category\nA,2024-01-01,3,S1,toys\nA,2024-02-01,4,S1,toys\n';
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([csv], 'sales.csv', { type: 'text/csv' })] } });
    });
    const store = await screen.findByRole('checkbox', { name: 'store' });
    expect(screen.queryByRole('checkbox', { name: 'item' })).toBeNull(); // the key is no attribute
    await act(async () => {
      fireEvent.click(store);
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'category' }));
    });
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ mapping: { sku: 'item', date: 'month', quantity: 'units', attributes: ['store', 'category'] } }), 'sales.csv');
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-upload'));
    });
    expect(upload).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ mapping: { sku: 'item', date: 'month', quantity: 'units', attributes: ['store', 'category'] } }), 'sales.csv');
  });

  it('makes a composite key of the store and item columns, in the file order, and keeps the store out of the attributes', async () => {
    const columns = ['store', 'item', 'month', 'units', 'category'];
    const preview = vi.fn(async (): Promise<DatasetCreated> => ({ datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, mapping: report.mapping, columns, report: { ...report, duplicates: 2 } } as unknown as DatasetCreated));
    const upload = vi.fn(async () => null);
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: upload, handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    const csv = 'store,item,month,units,category\nS1,A,2024-01-01,3,toys\nS2,A,2024-01-01,4,toys\n';
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([csv], 'sales.csv', { type: 'text/csv' })] } });
    });
    const keyPicker = await screen.findByTestId('key-picker');
    expect(keyPicker.querySelector('legend')?.textContent).toBe('One SKU per item');
    expect(screen.getByTestId('key-summed').textContent).toMatch(/^2 lines fall on a SKU and period already seen and are summed.*tick the store column here/);
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'store' })); // first kept as an attribute
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'store in the SKU key' }));
    });
    expect(keyPicker.querySelector('legend')?.textContent).toBe('One SKU per store and item');
    expect(screen.queryByTestId('key-summed')).toBeNull(); // the store is ticked: nothing left to tick
    // A key part is stored per SKU anyway: it is no longer offered (or sent) as an attribute.
    expect(screen.queryByRole('checkbox', { name: 'store' })).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'category' }));
    });
    const sent = { sku: ['store', 'item'], date: 'month', quantity: 'units', attributes: ['category'] };
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ mapping: sent }), 'sales.csv');
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-upload'));
    });
    expect(upload).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ mapping: sent }), 'sales.csv');
    // Unticked, the item alone is the key again.
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'store in the SKU key' }));
    });
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ mapping: { sku: 'item', date: 'month', quantity: 'units', attributes: ['category'] } }), 'sales.csv');
  });

  it('says nothing about a missing key part when the summed lines are only days summed into the months asked for', async () => {
    const daily = { ...report, detectedFrequency: 'daily', frequency: 'monthly', duplicates: 58, sameDayLines: 0 };
    const preview = vi.fn(async (): Promise<DatasetCreated> => ({ datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, mapping: report.mapping, columns: ['store', 'item', 'month', 'units'], report: daily } as unknown as DatasetCreated));
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: vi.fn(), handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File(['store,item,month,units\nS1,A,2024-01-01,3\n'], 'sales.csv', { type: 'text/csv' })] } });
    });
    await screen.findByTestId('key-picker');
    expect(screen.queryByTestId('key-summed')).toBeNull();
    cleanup();
    // Two stores' lines on one day of an item, summed into its month: said.
    preview.mockResolvedValue({ datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, mapping: report.mapping, columns: ['store', 'item', 'month', 'units'], report: { ...daily, sameDayLines: 29 } } as unknown as DatasetCreated);
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File(['store,item,month,units\nS1,A,2024-01-01,3\n'], 'sales.csv', { type: 'text/csv' })] } });
    });
    expect((await screen.findByTestId('key-summed')).textContent).toMatch(/^29 lines fall/);
  });

  it('labels the column pickers alike ("Date column", not "DATE column") and counts one SKU too short in the singular', async () => {
    const short = { ...report, tooShort: [{ sku: 'B', length: 6, needed: 10 }] };
    const preview = vi.fn(async (): Promise<DatasetCreated> => ({ datasetId: null, jobsCreated: 0, jobsSkipped: 5, jobsReused: 0, batchId: null, mapping: report.mapping, columns: ['item', 'month', 'units'], report: short } as unknown as DatasetCreated));
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: vi.fn(), handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File(['item,month,units\nA,2024-01-01,3\n'], 'sales.csv', { type: 'text/csv' })] } });
    });
    await screen.findByTestId('import-report');
    expect(screen.getByRole('combobox', { name: /^Date column/ })).toBeTruthy();
    expect(document.body.textContent).not.toContain('DATE column');
    expect(document.body.textContent).toContain('1 SKU too short to forecast');
  });
  it('starts "Weeks start on" from the weekday the dry run detected (a week_ending file of Sundays), sends it, and still lets the planner change it', async () => {
    const weekly = { ...report, frequency: 'weekly', detectedFrequency: 'weekly', weekStart: 'sunday', dateRange: { start: '2023-01-08', end: '2023-01-15' }, mapping: { sku: 'item', date: 'week_ending', quantity: 'units' } };
    const preview = vi.fn(async (_sample: unknown, options: { weekStart?: string }): Promise<DatasetCreated> => ({ datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, mapping: weekly.mapping, columns: ['item', 'week_ending', 'units'], report: { ...weekly, weekStart: options.weekStart ?? 'sunday' } } as unknown as DatasetCreated));
    const upload = vi.fn(async () => null);
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: upload, handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File(['item,week_ending,units\nW00,1/8/2023,66\nW00,1/15/2023,76\n'], 'weekly_we.csv', { type: 'text/csv' })] } });
    });
    const select = (await screen.findByRole('combobox', { name: /^Weeks start on/ })) as HTMLSelectElement;
    expect(select.value).toBe('sunday');
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-upload'));
    });
    expect(upload).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ frequency: 'weekly', weekStart: 'sunday' }), 'weekly_we.csv');
    await act(async () => {
      fireEvent.change(select, { target: { value: 'monday' } });
    });
    expect(select.value).toBe('monday');
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ weekStart: 'monday' }), 'weekly_we.csv');
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-upload'));
    });
    expect(upload).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ weekStart: 'monday' }), 'weekly_we.csv');
    // Another date column: its week start is detected again, not the last one sent on.
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: /^Date column/ }), { target: { value: 'item' } });
    });
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ weekStart: undefined }), 'weekly_we.csv');
  });

  it('shows the preview from the header the dry run found below a report title, and sends a header line the planner types', async () => {
    const titled = { ...report, headerRow: 3, delimiter: ';', mapping: { sku: 'Artikel', date: 'Monat', quantity: 'Menge' }, warnings: ["skipped 2 lines above the header (line 3): 'Sales report Q4 2025'"] };
    const preview = vi.fn(async (): Promise<DatasetCreated> => ({ datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, mapping: titled.mapping, columns: ['Artikel', 'Monat', 'Menge'], report: titled } as unknown as DatasetCreated));
    const upload = vi.fn(async () => null);
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: upload, handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    const csv = 'Sales report Q4 2025\r\n\r\nArtikel;Monat;Menge\r\nA;2025-01-01;5\r\nA;2025-02-01;6\r\n';
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([csv], 'report.csv', { type: 'text/csv' })] } });
    });
    await screen.findByTestId('import-report');
    const table = screen.getByRole('table', { name: 'First rows of the file' });
    expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Artikel', 'Monat', 'Menge']);
    expect([...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([['A', '2025-01-01', '5'], ['A', '2025-02-01', '6']]);
    const line = screen.getByTestId('header-row') as HTMLInputElement;
    expect(line.placeholder).toBe('3');
    await act(async () => {
      fireEvent.change(line, { target: { value: '3' } });
      fireEvent.blur(line);
    });
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ headerRow: 3 }), 'report.csv');
    // A 0 is sent (the API refuses it naming headerRow), not dropped as if the field were empty.
    await act(async () => {
      fireEvent.change(line, { target: { value: '0' } });
      fireEvent.blur(line);
    });
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ headerRow: 0 }), 'report.csv');
    await act(async () => {
      fireEvent.change(line, { target: { value: '3' } });
      fireEvent.blur(line);
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-upload'));
    });
    expect(upload).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ headerRow: 3 }), 'report.csv');
  });

  it('offers a Sheet select when the refusal of a workbook\'s first sheet lists its sheets, and checks and imports the one picked', async () => {
    const refusal = new ApiError(400, "could not find the columns: mapping.sku (read from the workbook's first sheet, 'Cover'; it also has 'Data': choose the sheet to read)", {
      error: 'could not find the columns', details: [{ path: 'sheet', message: "the workbook has 'Cover', 'Data'" }], sheets: ['Cover', 'Data'],
    } as never);
    const preview = vi.fn(async (_sample: unknown, options: { sheet?: string }): Promise<DatasetCreated> => {
      if (options.sheet !== 'Data') throw refusal;
      return { datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, mapping: report.mapping, columns: ['item', 'month', 'units'], report: { ...report, fileType: 'xlsx', sheet: 'Data', sheets: ['Cover', 'Data'] } } as unknown as DatasetCreated;
    });
    const upload = vi.fn(async () => null);
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: upload, handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])], 'book.xlsx')] } });
    });
    const select = (await screen.findByTestId('sheet')) as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['Cover', 'Data']);
    expect(select.value).toBe('Cover');
    expect((screen.getByTestId('confirm-upload') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      fireEvent.change(select, { target: { value: 'Data' } });
    });
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ sheet: 'Data' }), 'book.xlsx');
    expect((screen.getByTestId('sheet') as HTMLSelectElement).value).toBe('Data');
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-upload'));
    });
    expect(upload).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ sheet: 'Data' }), 'book.xlsx');
  });

  it('keeps the Sheet select when the sheet picked is refused too (its refusal names no sheets)', async () => {
    const cover = new ApiError(400, "could not find the columns (read from the workbook's first sheet, 'Cover'; it also has 'Data', 'Notes': choose the sheet to read)", {
      error: 'could not find the columns', details: [{ path: 'sheet', message: "the workbook has 'Cover', 'Data', 'Notes'" }], sheets: ['Cover', 'Data', 'Notes'],
    } as never);
    const notes = new ApiError(400, 'could not find the columns: mapping.sku', { error: 'could not find the columns', details: [{ path: 'mapping.sku', message: 'no column for the SKU' }], columns: ['nothing here'] } as never);
    const preview = vi.fn(async (_sample: unknown, options: { sheet?: string }): Promise<DatasetCreated> => {
      throw options.sheet === 'Notes' ? notes : cover;
    });
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: vi.fn(), handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])], 'book.xlsx')] } });
    });
    const first = await screen.findByTestId('sheet');
    await act(async () => {
      fireEvent.change(first, { target: { value: 'Notes' } });
    });
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ sheet: 'Notes' }), 'book.xlsx');
    const select = screen.getByTestId('sheet') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['Cover', 'Data', 'Notes']);
    expect(select.value).toBe('Notes');
  });

  it('reads a Windows-1252 CSV when the planner picks that encoding: the refusal points to the select, the preview and the checks use it', async () => {
    const refusal = new ApiError(400, 'the file is not UTF-8: line 2 has the byte 0xE9 (\'é\' in Windows-1252); save it as "CSV UTF-8 (Comma delimited)" in Excel, or declare its encoding (charset=windows-1252 over HTTP, --charset windows-1252 on the command line)', {
      error: 'the file is not UTF-8', details: [{ path: 'file', message: 'not UTF-8 on line 2' }],
    } as never);
    const preview = vi.fn(async (_sample: unknown, options: { charset?: string }, name: string): Promise<DatasetCreated> => {
      if (name.endsWith('.csv') && options.charset !== 'windows-1252') throw refusal;
      return { datasetId: null, jobsCreated: 0, jobsSkipped: 0, jobsReused: 0, batchId: null, mapping: { sku: 'Artikel', date: 'Monat', quantity: 'Menge' }, columns: ['Artikel', 'Monat', 'Menge'], report: { ...report, delimiter: ';' } } as unknown as DatasetCreated;
    });
    const upload = vi.fn(async () => null);
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: upload, handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    const bytes = new Uint8Array([...new TextEncoder().encode('Artikel;Monat;Menge\nCaf'), 0xe9, ...new TextEncoder().encode(';01.01.2025;5\n')]);
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([bytes], 'export.csv', { type: 'text/csv' })] } });
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the file is not UTF-8: line 2 has the byte 0xE9');
    expect(alert.textContent).toContain('Choose Encoding "Windows-1252 (Excel, Western Europe)" above');
    expect(alert.textContent).not.toContain('over HTTP');
    const select = screen.getByTestId('charset') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['UTF-8', 'Windows-1252 (Excel, Western Europe)']);
    await act(async () => {
      fireEvent.change(select, { target: { value: 'windows-1252' } });
    });
    // The preview is read from the file again (FileReader, a task away), then checked.
    await waitFor(() => expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ charset: 'windows-1252' }), 'export.csv'));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    const table = screen.getByRole('table', { name: 'First rows of the file' });
    expect(table.querySelector('tbody td')!.textContent).toBe('Café');
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-upload'));
    });
    expect(upload).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ charset: 'windows-1252' }), 'export.csv');
    // The choice is kept for the next CSV, but a workbook has no encoding: not sent with it.
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])], 'book.xlsx')] } });
    });
    await waitFor(() => expect(preview).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ charset: undefined }), 'book.xlsx'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-upload'));
    });
    expect(upload).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ charset: undefined }), 'book.xlsx');
  });

  it('shows a binary file\'s refusal alone: no mapping form, attribute of its bytes, preview or Import button (planner walkthrough, finding 9)', async () => {
    const notText = new ApiError(400, 'the file is not text: it looks binary (save a spreadsheet as CSV first)', {
      error: 'the file is not text: it looks binary (save a spreadsheet as CSV first)', details: [{ path: 'file', message: 'binary content (NUL bytes or control characters)' }],
    } as never);
    const preview = vi.fn(async (): Promise<DatasetCreated> => { throw notText; });
    const handlers = { busy: false, error: null, previewUpload: preview, handleDataUpload: vi.fn(), handleLoadSample: vi.fn() } as unknown as DataHandlers;
    render(<UploadPanel handlers={handlers} datasetName={null} />);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 5, 0x78, 0, 0, 3, 0xe8, 8, 2]);
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([png], 'wrong.png', { type: 'image/png' })] } });
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(/^the file is not text: it looks binary/);
    expect(preview).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByTestId('frequency')).toBeNull();
    expect(screen.queryByTestId('confirm-upload')).toBeNull();
    expect(screen.getByRole('button', { name: 'Discard' })).toBeTruthy();
  });
});
