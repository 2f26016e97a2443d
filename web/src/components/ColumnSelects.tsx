import type { Mapping } from './upload-mapping.js';

// Upper-casing the field's name read "DATE column" beside "SKU column".
const columnLabels = { sku: 'SKU column', date: 'Date column', quantity: 'Quantity column' } as const;

/** The upload's SKU, date and quantity columns (a wide file's dates are its columns: SKU alone). */
export function ColumnSelects({ format, mapping, columns, onChange }: { format: 'long' | 'wide' | ''; mapping: Mapping | null; columns: string[]; onChange: (next: Mapping) => void }) {
  return (
    <>
      {(['sku', 'date', 'quantity'] as const).map((field) =>
        format === 'wide' && field !== 'sku' ? null : (
          <label key={field}>
            {columnLabels[field]}
            <select className="input" value={mapping?.[field] ?? ''} onChange={(e) => onChange({ ...(mapping ?? { sku: '', date: '', quantity: '' }), [field]: e.target.value })}>
              <option value="" disabled>
                choose…
              </option>
              {columns.map((column) => (
                <option key={column} value={column}>
                  {column}
                </option>
              ))}
            </select>
          </label>
        ),
      )}
    </>
  );
}
