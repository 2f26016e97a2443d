import { chooseDayOrder, slashParts, type DayOrder } from './date-parse.js';

/**
 * The day order a file's n/n/yyyy dates are read in: the file's own where a number over 12 settles
 * it, else its dataset's (`known`: the order its import read, report.dayOrder), else a guess from
 * the file alone. `unrecorded`: a dataset imported before the order was kept, or from dates
 * without one (warned about whenever the file's order was a guess). The warning says what was
 * guessed or overridden; `found`: the file had such dates at all.
 */
export function resolveDayOrder(dates: Iterable<string>, known?: DayOrder | 'unrecorded' | null): { order: DayOrder; found: boolean; warning: string | null } {
  const texts = [...dates];
  const choice = chooseDayOrder(texts);
  const dataset = known === 'unrecorded' || known === null ? undefined : known;
  const name = (order: DayOrder) => (order === 'dmy' ? 'day-first' : 'month-first');
  const order = dataset && !choice.settled ? dataset : choice.order;
  let warning: string | null = null;
  if (choice.conflicting) {
    warning = `some dates are day-first and some month-first; read as ${name(order)}${dataset ? ' like the dataset' : ''} (give dateFormat to choose)`;
  } else if (dataset && choice.settled && choice.order !== dataset) {
    const over12 = texts.find((d) => {
      const parts = d.includes('.') ? null : slashParts(d);
      return parts !== null && (parts[0] > 12 || parts[1] > 12);
    }) ?? '';
    warning = `dates like '${over12}' can only be ${name(order)}, but the dataset's were read ${name(dataset)}: read ${name(order)} (give dateFormat to choose)`;
  } else if (known === 'unrecorded' && !choice.settled && choice.example !== undefined) {
    warning = `dates like '${choice.example}' could be day-first or month-first, and the dataset keeps no order to follow (imported before it was kept, or from dates without one): read as ${name(order)} from this file alone; check the periods added and revised (give dateFormat to choose)`;
  } else if (choice.ambiguous && !dataset) {
    warning = `dates like '${choice.example}' could be day-first or month-first; read as day-first (give dateFormat to choose)`;
  }
  return { order, found: choice.found, warning };
}
