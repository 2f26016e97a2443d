/**
 * A composite key: the item column alone sums every store's sales of an item into one series;
 * ticking the store column makes one SKU per store and item (named `S1 / I7`), whose parts are
 * kept as attributes too, so Totals can sum by store.
 */
export function KeyPicker({ columns, parts, chosen, summed, onChange }: {
  columns: string[];
  parts: string[];
  chosen: string[];
  /** The dry run's lines summed into a SKU and period already seen: a store column left out of the key sums its stores. */
  summed: number;
  onChange: (keyParts: string[]) => void;
}) {
  if (columns.length === 0) return null;
  return (
    <fieldset className="attribute-picker" data-testid="key-picker">
      <legend>One SKU per {parts.join(' and ')}</legend>
      <p className="hint">Tick a column such as a store when the same item sells in several and each is a series of its own.</p>
      {/* With a key part ticked, lines left on one SKU and day are orders of that day: nothing to tick. */}
      {summed > 0 && chosen.length === 0 ? (
        <p className="hint warnings" data-testid="key-summed">
          {summed.toLocaleString()} {summed === 1 ? 'line falls' : 'lines fall'} on a SKU and period already seen and {summed === 1 ? 'is' : 'are'} summed
          into it: if they are different stores&apos; sales, tick the store column here (several orders of one day are summed as they should be).
        </p>
      ) : null}
      {columns.map((column) => (
        <label key={column} className="toggle">
          <input
            type="checkbox"
            aria-label={`${column} in the SKU key`}
            checked={chosen.includes(column)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, column] : chosen.filter((c) => c !== column))}
          />
          {column}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The other columns a planner can keep per SKU (store, category): "Totals" sums by them. A wide
 * file has none (the API refuses `mapping.attributes` there).
 */
export function AttributePicker({ columns, chosen, onChange }: { columns: string[]; chosen: string[]; onChange: (attributes: string[]) => void }) {
  if (columns.length === 0) return null;
  return (
    <fieldset className="attribute-picker">
      <legend>Attributes kept per SKU, for totals by them</legend>
      {columns.map((column) => (
        <label key={column} className="toggle">
          <input
            type="checkbox"
            checked={chosen.includes(column)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, column] : chosen.filter((c) => c !== column))}
          />
          {column}
        </label>
      ))}
    </fieldset>
  );
}
