import { formatDate } from '../format.js';

/**
 * A calendar date of the data (YYYY-MM-DD) in the browser's date format (formatDate), the ISO
 * date kept for a tooltip and as the machine-readable `datetime`.
 */
export function DataDate({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>–</>;
  return (
    <time dateTime={iso} title={iso}>
      {formatDate(iso)}
    </time>
  );
}
