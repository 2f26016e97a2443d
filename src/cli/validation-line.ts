import type { DatasetValidationError } from '../datasets/dataset-validation-error.js';

/**
 * A refused import as the one line on stderr the CLI promises (a script keeps the last line of a
 * failed command): the message, then the field messages it does not already say, joined.
 */
export function validationLine(command: string, error: DatasetValidationError, limit = 5): string {
  const extra = error.details.map((d) => `${d.path}: ${d.message}`).filter((text) => !error.message.includes(text));
  const shown = extra.slice(0, limit).join('; ');
  const more = extra.length > limit ? `; and ${extra.length - limit} more` : '';
  const text = `skucast ${command}: ${error.message}${shown ? ` (${shown}${more})` : ''}`;
  // A message or a detail may quote a cell with a line break in it.
  return `${text.replace(/\r\n|\r|\n/g, ' ')}\n`;
}
