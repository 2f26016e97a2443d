import { counted } from './counted.js';
import type { ImportReport } from './dataset.js';
import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * The texts of an actuals append's warnings and refusals (actuals.ts), apart so that file stays a
 * verb: the SKUs the file has no line for, the SKUs whose every line was rejected, the revisions
 * of old history that a wrong file (an old full export) would make.
 */
/**
 * The dataset's SKUs the file has no line for: `keep` (the default) leaves their histories as they
 * were, with a warning; `zero` gives them 0 for each of the file's periods after their own history
 * (an export that leaves out the SKUs that sold nothing), never over a value they have.
 */
export const absentSkusChoices = ['keep', 'zero'] as const;
export type AbsentSkus = (typeof absentSkusChoices)[number];

/**
 * The dataset's SKUs an actuals file has no line for. Exports often leave out the SKUs that sold
 * nothing; kept as they were, their histories end a period or more before the others', their
 * forecasts start at a period the others have actuals for, and totals sum them only up to their
 * own last period. With absentSkus=zero, `zeroed` of them got 0 for the file's later periods.
 */
export function absentSkusWarning(absent: string[], absentSkus: AbsentSkus, zeroed: number): string {
  const shown = absent.slice(0, 5).join(', ') + (absent.length > 5 ? `, and ${absent.length - 5} more` : '');
  const one = absent.length === 1;
  const head = `${absent.length} of the dataset's SKUs ${one ? 'has' : 'have'} no line in this file (${shown})`;
  if (absentSkus === 'zero') {
    // "The others" only when some are left: every absent SKU zeroed, or one alone, has none.
    const got = "got 0 for the file's periods after their own history (absentSkus=zero)";
    if (zeroed === 0) return `${head}: ${one ? 'its history already reaches' : 'their histories already reach'} the file's periods, so nothing got 0 (absentSkus=zero)`;
    if (one) return `${head}: it got 0 for the file's periods after its own history (absentSkus=zero)`;
    const others = absent.length - zeroed;
    if (others === 0) return `${head}: ${zeroed === 2 ? 'both' : 'all of them'} ${got}`;
    return `${head}: ${zeroed} of them ${got}; ${others === 1 ? "the other's history already reaches" : "the others' histories already reach"} those periods`;
  }
  return `${head}: ${one ? 'its history is' : 'their histories are'} left as ${one ? 'it was' : 'they were'}; if ${one ? 'it' : 'they'} sold nothing in these periods, send ${one ? 'it' : 'them'} with 0 (absentSkus=zero; CLI --absent-skus zero; in the web app, "SKUs not in the file sold nothing"), or ${one ? 'its forecast starts' : 'their forecasts start'} at a period the others have actuals for`;
}

/**
 * The file's SKUs whose lines stop before its last period (the periods counted are the file's
 * dates after their last line): with absentSkus=zero they got 0 for them, as a SKU with no line
 * at all does; kept, their histories end early.
 */
export function endedInFileWarning(ended: Array<{ sku: string; last: string; periods: number }>, absentSkus: AbsentSkus): string {
  const one = ended.length === 1;
  const shown = ended.slice(0, 5).map((e) => `${e.sku} last on ${e.last}, ${e.periods} period${e.periods === 1 ? '' : 's'} after`).join('; ') + (ended.length > 5 ? `; and ${ended.length - 5} more` : '');
  const head = `${ended.length} of the file's SKUs ${one ? 'has' : 'have'} no line for its last periods (${shown})`;
  if (absentSkus === 'zero') return `${head}: ${one ? 'it' : 'they'} got 0 for them, as SKUs with no line at all do (absentSkus=zero)`;
  return `${head}: ${one ? 'its history ends' : 'their histories end'} there, and ${one ? 'its forecast starts' : 'their forecasts start'} at a period the others have actuals for; if ${one ? 'it' : 'they'} sold nothing then, send the file with absentSkus=zero (in the web app, "SKUs not in the file sold nothing")`;
}

/** The refusal of a file none of whose SKUs the dataset has, sent with absentSkus=zero. */
export function noSkuOfTheDataset(skus: string[], report: ImportReport): DatasetValidationError {
  const n = skus.length;
  const shown = skus.slice(0, 5).join(', ') + (n > 5 ? `, and ${n - 5} more` : '');
  const none = n === 1 ? `the file's only SKU (${shown}) is not in the dataset` : `none of the file's ${n} SKUs is in the dataset`;
  return new DatasetValidationError(`${none}: with absentSkus=zero every SKU of the dataset would get 0 for the file's periods; nothing was appended`, [
    { path: 'absentSkus', message: `zero gives the SKUs the file has no line for 0, and the file has a line for none of the dataset's: check that the file is this dataset's and its SKU column the right one (it reads ${shown}), or send it without absentSkus=zero to add ${n === 1 ? 'it as a new SKU' : 'them as new SKUs'}` },
    { path: 'file', message: n === 1 ? `its SKU ${shown} is not one of the dataset's` : `its SKUs (${shown}) are not the dataset's` },
  ], report);
}


/** Names the first five, then how many more. */
const firstFive = (skus: string[]) => skus.slice(0, 5).join(', ') + (skus.length > 5 ? `, and ${skus.length - 5} more` : '');

/**
 * The dataset's SKUs whose every line in the file was rejected (a date that does not parse, an
 * empty quantity), each with its first rejected line: they are in the file, not absent from it,
 * and are left as they were; never given 0, even with absentSkus=zero, since the rejected line may
 * hold a sale (A-1001 with `6.12.2O26;18,7` would get 0 for a week it sold 18.7). `heldBack`: SKUs
 * of the file with some lines rejected that absentSkus=zero would have given 0 for the file's
 * later periods, and did not.
 */
export function heldBackWarning(rejectedOnly: Array<{ sku: string; line: number }>, heldBack: Array<{ sku: string; line: number }>, absentSkus: AbsentSkus): string[] {
  const named = (list: Array<{ sku: string; line: number }>) => firstFive(list.map((r) => `${r.sku} line ${r.line}`));
  const out: string[] = [];
  if (rejectedOnly.length > 0) {
    const one = rejectedOnly.length === 1;
    const zero = absentSkus === 'zero' ? `, not given 0 (absentSkus=zero) since ${one ? 'its rejected lines' : 'their rejected lines'} may hold sales` : '';
    out.push(`${counted(rejectedOnly.length, "of the dataset's SKUs has", "of the dataset's SKUs have")} lines in this file that were all rejected (${named(rejectedOnly)}): ${one ? 'its history is' : 'their histories are'} left as ${one ? 'it was' : 'they were'}${zero}; correct those lines and send them again`);
  }
  if (heldBack.length > 0) {
    const one = heldBack.length === 1;
    out.push(`${counted(heldBack.length, "of the file's SKUs has", "of the file's SKUs have")} rejected lines and no line for the file's last periods (${named(heldBack)}): ${one ? 'it got' : 'they got'} no 0 for those periods (absentSkus=zero), since a rejected line may hold a sale; correct the lines and send them again`);
  }
  return out;
}

/**
 * The periods fillGaps 'zero' left without a value, SKU by SKU, since the file had a rejected line
 * for them (a quantity that does not parse in a week between two good ones): the line may hold a
 * sale, so no 0 is written for it. `undatedLine`: a rejected line of the SKU whose date could not
 * be read, so none of its periods in the file's span got 0.
 */
export function rejectedUnfilledWarning(unfilled: Array<{ sku: string; dates: string[]; lines: Array<{ date: string; line: number }>; undatedLine?: number }>): string {
  const periods = unfilled.reduce((n, u) => n + u.dates.length, 0);
  const named = firstFive(unfilled.map((u) => {
    const lines = [...new Set(u.lines.map((l) => l.line))];
    const why = [
      ...(lines.length > 0 ? [`line${lines.length === 1 ? '' : 's'} ${lines.slice(0, 3).join(', ')}${lines.length > 3 ? '…' : ''} rejected`] : []),
      ...(u.undatedLine !== undefined ? [`line ${u.undatedLine}'s date not read, so no period in the file's span`] : []),
    ];
    return `${u.sku} ${u.dates.slice(0, 3).join(', ')}${u.dates.length > 3 ? ` and ${u.dates.length - 3} more` : ''} (${why.join('; ')})`;
  }));
  const one = periods === 1;
  return `${counted(periods, 'period')} of ${counted(unfilled.length, 'SKU')} ${one ? 'was' : 'were'} not filled with 0 (fillGaps=zero) since the file had a rejected line for ${one ? 'it' : 'them'}, which may hold a sale (${named}): ${one ? 'it is' : 'they are'} left without a value; correct the lines and send them again`;
}

/** Periods back from the dataset's last beyond which a revision is more than a new export restates. */
export const recentPeriods: Record<string, number> = { daily: 14, weekly: 4, monthly: 3, quarterly: 2, yearly: 1 };

/**
 * A file that revises stored values and adds no period after the dataset's SKUs' stored history
 * (a new or misspelled SKU, or a gap filled with 0, does not count: an old export has those too), or revises values further back than the
 * last few periods: what an old or full-history export picked by mistake does (706 values of 5
 * SKUs back to 2024 at once). Said in the check and in the append's answer; null when neither.
 */
export function revisedHistoryWarning(r: { values: number; skus: number; earliest: string; periodsBack: number; onlyHistory: boolean; datasetEnd: string | null; old: boolean }): string | null {
  const what = `${counted(r.values, 'stored value')} of ${counted(r.skus, 'SKU')} back to ${r.earliest}`;
  const back = r.periodsBack > 0 && r.datasetEnd ? ` (${counted(r.periodsBack, 'period')} before the dataset's last, ${r.datasetEnd})` : '';
  if (r.onlyHistory) return `the file adds no new period to the dataset's SKUs and revises ${what}${back}: an old or full-history export rewrites history; check that this is the file meant`;
  if (r.old) return `the file revises ${what}${back}, further back than a new export restates; check that this is the file meant`;
  return null;
}
