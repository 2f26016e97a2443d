import type { ImportReport } from './dataset.js';

export interface ValidationDetail {
  path: string;
  message: string;
}

/**
 * Input a planner must fix: nothing usable in a file, a bad row in the JSON form, a mapping that
 * names no column. The API turns it into a 400 `{error, details, report}`; nothing was stored.
 */
export class DatasetValidationError extends Error {
  override name = 'DatasetValidationError';
  /** The file's header row, when the refusal is about columns: what a mapping can choose from. */
  columns?: string[];
  /** An .xlsx's sheets, when the refusal was of its first sheet and it has others (sheet-choice.ts). */
  sheets?: string[];
  /**
   * The refused line is certainly a header (it named a SKU and a date column; only the rest was
   * refused): no later line is tried as the header instead (header-row.ts).
   */
  headerNamed?: boolean;
  constructor(
    message: string,
    readonly details: ValidationDetail[],
    readonly report: ImportReport | null = null,
  ) {
    super(message);
  }
}

export function isDatasetValidationError(error: unknown): error is DatasetValidationError {
  return error instanceof Error && error.name === 'DatasetValidationError' && Array.isArray((error as DatasetValidationError).details);
}
