import { describe, expect, it } from 'vitest';
import { mappingRequestFrom, presentColumns, resolveLongColumns, resolveWideSkuColumn } from './column-mapping.js';

describe('mappingRequestFrom', () => {
  it('takes a column by its number from 1 wherever it takes a name, and refuses 0, fractions and negatives naming the field', () => {
    expect(mappingRequestFrom({ sku: [1, 'item'], date: 2, quantity: 4, attributes: [5] })).toEqual({ sku: [1, 'item'], date: 2, quantity: 4, attributes: [5] });
    expect(mappingRequestFrom({ sku: 3 })).toEqual({ sku: 3 });
    for (const bad of [0, 1.5, -2]) {
      expect(() => mappingRequestFrom({ quantity: bad })).toThrow(expect.objectContaining({ details: [{ path: 'mapping.quantity', message: 'must be a column name or its number, from 1' }] }));
      expect(() => mappingRequestFrom({ attributes: [bad] })).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'mapping.attributes' })] }));
    }
  });
});

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

  it('takes the number of a product or material, not its group, and the count, not the unit price', () => {
    expect(resolveLongColumns(['Produktgruppe', 'Produktnummer', 'Datum', 'Menge']).mapping.sku).toBe('Produktnummer');
    expect(resolveLongColumns(['Materialgruppe', 'Material-Nr.', 'Datum', 'Menge']).mapping.sku).toBe('Material-Nr.');
    expect(resolveLongColumns(['Produktgruppe', 'Produkt-Nr.', 'Datum', 'Menge']).mapping.sku).toBe('Produkt-Nr.');
    expect(resolveLongColumns(['Artikelgruppe', 'Artikel-ID', 'Datum', 'Menge']).mapping.sku).toBe('Artikel-ID');
    expect(resolveLongColumns(['Artikelnummer', 'Datum', 'Stückpreis', 'Stückzahl']).mapping.quantity).toBe('Stückzahl');
  });

  it('matches no part of a price, value, revenue or last year\'s figure, nor the SKU a group', () => {
    // Without a column of its own, each is refused rather than read as one.
    for (const [headers, field] of [
      [['Artikelnummer', 'Datum', 'Stückpreis'], 'mapping.quantity'], [['Artikelnummer', 'Datum', 'Absatz Vorjahr'], 'mapping.quantity'],
      [['Artikelnummer', 'Datum', 'Absatzwert'], 'mapping.quantity'], [['Produktgruppe', 'Datum', 'Menge'], 'mapping.sku'],
      [['Item Group', 'Date', 'Qty'], 'mapping.sku'], [['Product Category', 'Date', 'Qty'], 'mapping.sku'],
    ] as const) {
      expect(() => resolveLongColumns([...headers]), headers.join(',')).toThrow(field);
    }
    expect(resolveLongColumns(['Artikelnummer', 'Datum', 'Absatz Vorjahr', 'Absatz']).mapping.quantity).toBe('Absatz');
  });

  it('reads the SKU from a name or description (a simple export\'s Product Name), a group, category or type never', () => {
    expect(resolveLongColumns(['Product Name', 'Date', 'Qty']).mapping.sku).toBe('Product Name');
    expect(resolveLongColumns(['Artikelbezeichnung', 'Datum', 'Menge']).mapping.sku).toBe('Artikelbezeichnung');
    expect(resolveLongColumns(['Product Name', 'Product Code', 'Date', 'Qty']).mapping.sku).toBe('Product Code');
    expect(resolveLongColumns(['Artikelbezeichnung', 'Artikel', 'Datum', 'Menge']).mapping.sku).toBe('Artikel');
    expect(resolveLongColumns(['Item Group', 'Item Name', 'Date', 'Qty']).mapping.sku).toBe('Item Name');
    expect(resolveWideSkuColumn(['Product Name', '2024-01-01', '2024-02-01'], [false, true, true])).toBe(0);
  });

  // Review 2 of 072be1e..891713c: the name, not a category, type or code beside it (as at ad9f10d).
  it('takes the product name, not a category, type or store code beside it', () => {
    expect(resolveLongColumns(['Date', 'Product Name', 'Product Category', 'Units']).mapping.sku).toBe('Product Name');
    expect(resolveLongColumns(['Item Name', 'Item Type', 'Month', 'Qty']).mapping.sku).toBe('Item Name');
    expect(resolveLongColumns(['Date', 'Product Name', 'Store Code', 'Units']).mapping.sku).toBe('Product Name');
    expect(resolveLongColumns(['Datum', 'Artikelbezeichnung', 'Artikelkategorie', 'Menge']).mapping.sku).toBe('Artikelbezeichnung');
    const headers = ['Product Name', 'Region Code', '2024-01', '2024-02', '2024-03'];
    expect(headers[resolveWideSkuColumn(headers, [false, false, true, true, true])]).toBe('Product Name');
  });

  it("finds Oracle's PERIOD_NAME as the date ('period' as a part of the name, as at ad9f10d)", () => {
    expect(resolveLongColumns(['ITEM_NUMBER', 'PERIOD_NAME', 'QUANTITY']).mapping.date).toBe('PERIOD_NAME');
  });

  it('reads Anzahl only as a whole name: Anzahl Filialen is a count of stores, and a file with no quantity is refused', () => {
    expect(() => resolveLongColumns(['Artikelnummer', 'Datum', 'Anzahl Filialen', 'Umsatz'])).toThrow('mapping.quantity');
    expect(resolveLongColumns(['Artikelnummer', 'Datum', 'Anzahl']).mapping.quantity).toBe('Anzahl');
  });

  it('still prefers the English names where a file has both', () => {
    expect(resolveLongColumns(['Menge', 'sku', 'date', 'qty']).mapping).toEqual({ sku: 'sku', date: 'date', quantity: 'qty' });
  });
});

describe('resolveLongColumns: skip words are words, not letters across a word boundary or inside another word', () => {
  it.each([
    ['Date,Specialty Product Code,Qty', 'Specialty Product Code'], // "specialtyproductcode" holds "typ"
    ['Date,Classic Item,Qty', 'Classic Item'], // "classicitem" holds "class"
  ])('%s reads the SKU from %s, as at ad9f10d', (headers, sku) => {
    expect(resolveLongColumns(headers.split(',')).mapping.sku).toBe(sku);
  });
});
