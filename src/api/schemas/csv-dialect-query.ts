import { z } from 'zod';

/**
 * The CSV exports' dialect options (src/datasets/csv-dialect.ts): what a spreadsheet of the
 * planner's locale opens by double-click. Checked together by csvDialect (a decimal comma needs
 * another delimiter), which names the parameter it refuses.
 */
export const csvDialectQuery = {
  delimiter: z.string().optional().describe('comma (default), semicolon or tab (also , ; or a tab): between fields'),
  decimal: z.string().optional().describe('point (default) or comma: before the decimals of the numeric columns; comma needs delimiter=semicolon or tab'),
  bom: z.enum(['true', 'false', '1', '0', '']).optional().describe('true: start with a UTF-8 byte order mark, so Excel reads the file as UTF-8 (names with ä, é, ...); given without a value it means true'),
};

export function bomWanted(value: string | undefined): boolean {
  return value === 'true' || value === '1' || value === '';
}
