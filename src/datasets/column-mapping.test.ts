import { describe, expect, it } from 'vitest';
import { presentColumns, resolveLongColumns } from './column-mapping.js';

describe('presentColumns', () => {
  it('keeps the preferred columns the header has and leaves the rest to detection', () => {
    const preferred = { sku: 'sku', date: 'date', quantity: 'qty', attributes: ['region'] };
    expect(presentColumns(preferred, ['sku', 'date', 'qty', 'region'])).toEqual(preferred);
    expect(presentColumns(preferred, ['SKU', 'Date', 'Units'])).toEqual({ sku: 'sku', date: 'date' });
    // A wide file: only the SKU column is a column.
    expect(presentColumns(preferred, ['sku', '2024-01', '2024-02'])).toEqual({ sku: 'sku' });
  });

  it('keeps a composite key whole, so a missing part is refused by name rather than making other SKUs', () => {
    expect(presentColumns({ sku: ['store', 'item'], date: 'month' }, ['item', 'month', 'units'])).toEqual({ sku: ['store', 'item'], date: 'month' });
  });

  it('is undefined when the header has none of them (a headerless file is still recognised)', () => {
    expect(presentColumns({ sku: 'sku', date: 'date', quantity: 'qty' }, ['A', '2024-01-01', '5'])).toBeUndefined();
    expect(presentColumns(undefined, ['sku'])).toBeUndefined();
  });
});

describe('resolveLongColumns', () => {
  it('finds the columns of a German export by their German names', () => {
    expect(resolveLongColumns(['Artikelnummer', 'Filiale', 'Datum', 'Menge']).mapping).toEqual({ sku: 'Artikelnummer', date: 'Datum', quantity: 'Menge' });
    expect(resolveLongColumns(['Artikel', 'Monat', 'Absatz']).mapping).toEqual({ sku: 'Artikel', date: 'Monat', quantity: 'Absatz' });
    expect(resolveLongColumns(['Art.-Nr.', 'Buchungsdatum', 'Verkaufsmenge']).mapping).toEqual({ sku: 'Art.-Nr.', date: 'Buchungsdatum', quantity: 'Verkaufsmenge' });
    // The article's number, not its description, even when the description comes first.
    expect(resolveLongColumns(['Artikelbezeichnung', 'Artikelnummer', 'Woche', 'Stück']).mapping).toEqual({ sku: 'Artikelnummer', date: 'Woche', quantity: 'Stück' });
    // The count, not the unit price (`Stückpreis` holds `stück`).
    expect(resolveLongColumns(['Artikel', 'Datum', 'Stückpreis', 'Anzahl']).mapping).toEqual({ sku: 'Artikel', date: 'Datum', quantity: 'Anzahl' });
  });

  it('still prefers the English names where a file has both', () => {
    expect(resolveLongColumns(['Menge', 'sku', 'date', 'qty']).mapping).toEqual({ sku: 'sku', date: 'date', quantity: 'qty' });
  });
});
