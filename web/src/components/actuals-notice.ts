import type { ActualsAppended } from '../api/types.js';
import { formatCount, formatCounted, formatDate, formatDayRange } from '../format.js';
import { periodNoun } from './partial-points.js';
import { inPlannerWords } from './planner-words.js';

/** "a, b and c". */
const listed = (parts: string[]) => (parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);

/**
 * The notice after an actuals append, in the app's words: counts with their nouns and only those
 * that are not zero ("4 SKUs changed: 4 periods added; 20 jobs queued."), and the periods the
 * file covers in part named by their days ("Dec 1 – 5 (5 of 31 days): 4 SKUs have it as
 * provisional until a file covers the whole month."). It read "0 values revised, 0 new SKUs ...
 * 0 stored values kept, 4 written as provisional", with no date at all.
 */
export function actualsNotice(
  out: Pick<ActualsAppended, 'skusChanged' | 'periodsAdded' | 'valuesRevised' | 'skusAdded' | 'jobsCreated' | 'jobsReused' | 'partial'> & Partial<Pick<ActualsAppended, 'newSkus' | 'rejectedSkus'>>
    & { report: Pick<ActualsAppended['report'], 'partialPeriods'> & Partial<Pick<ActualsAppended['report'], 'rejectedCount' | 'rejectedReasons'>> },
  /** `check`: the answer of a check (dryRun), said as what the file would do; nothing was written. */
  mode: 'applied' | 'check' = 'applied',
): string {
  const { kept, provisional, settled } = out.partial;
  const sentences: string[] = [];
  // A mistyped code (A-1O02) is a new SKU: named, so the planner sees it (was: "1 new SKU", unnamed).
  const added = out.skusAdded > 0 ? `${formatCounted(out.skusAdded, 'new SKU')}${out.newSkus && out.newSkus.length > 0 ? ` (${namedSkus(out.newSkus, out.skusAdded)})` : ''}` : null;
  if (mode === 'check') {
    const what = [
      ...(out.periodsAdded > 0 ? [`${formatCounted(out.periodsAdded, 'period')} added`] : []),
      ...(out.valuesRevised > 0 ? [`${formatCounted(out.valuesRevised, 'stored value')} revised`] : []),
      ...(added ? [added] : []),
    ];
    sentences.push(out.skusChanged === 0
      ? 'This file would change nothing.'
      : `This file would change ${formatCounted(out.skusChanged, 'SKU')}${what.length > 0 ? `: ${listed(what)}` : ''}. Nothing is written until you apply it.`);
  } else if (out.skusChanged === 0) {
    // "Already in the history" only when that is why: values kept against a file covering a period
    // in part are not in the history, they were kept out of it.
    sentences.push(kept > 0 ? 'Nothing changed: the stored values were kept.' : 'Nothing changed: these actuals were already in the history.', 'No job queued.');
  } else {
    const what = [
      ...(out.periodsAdded > 0 ? [`${formatCounted(out.periodsAdded, 'period')} added`] : []),
      ...(out.valuesRevised > 0 ? [`${formatCounted(out.valuesRevised, 'value')} revised`] : []),
      ...(added ? [added] : []),
    ];
    // A reused job is a forecast whose inputs are as they were: it completes at once, nothing is
    // recomputed, so it is not "queued" (after the month to date alone, most jobs are these).
    const queued = out.jobsCreated - (out.jobsReused ?? 0);
    const jobs = [
      queued > 0 ? `${formatCounted(queued, 'job')} queued` : 'no job queued',
      ...((out.jobsReused ?? 0) > 0 ? [`${formatCounted(out.jobsReused, 'forecast')} unchanged (same inputs)`] : []),
    ].join(', ');
    sentences.push(`${formatCounted(out.skusChanged, 'SKU')} changed${what.length > 0 ? `: ${listed(what)}` : ''}; ${jobs}.`);
  }
  if (settled > 0) sentences.push(`${formatCounted(settled, 'provisional value')} made final.`);
  // A period the file covers in part never replaces a whole one: said by its days, since it is not "nothing".
  const periods = (out.report.partialPeriods ?? []).filter((p) => (p.values?.provisional ?? 0) + (p.values?.kept ?? 0) > 0);
  if (periods.length > 0) {
    for (const p of periods) {
      const noun = periodNoun(p.of);
      // A file of the days since the last one joins them to the days stored: a SKU's provisional
      // value then covers from the stored days' start, which is what to name, not the file's days.
      const joinedFrom = out.partial.values.filter((v) => v.period === p.period && v.outcome === 'joined' && v.storedSpan).map((v) => v.storedSpan!.from);
      const from = [p.from, ...joinedFrom].reduce((a, b) => (b < a ? b : a));
      const days = from === p.from ? p.days : Math.round((Date.parse(p.to) - Date.parse(from)) / 86_400_000) + 1;
      const fate = [
        ...((p.values?.provisional ?? 0) > 0 ? [`${formatCounted(p.values!.provisional, 'SKU')} ${p.values!.provisional === 1 ? 'has' : 'have'} it as provisional until a file covers the whole ${noun}`] : []),
        ...((p.values?.kept ?? 0) > 0 ? [`${formatCounted(p.values!.kept, 'SKU')} kept ${p.values!.kept === 1 ? 'its' : 'their'} stored value`] : []),
      ];
      sentences.push(`Only part of a ${noun}: ${formatDayRange(from, p.to)} (${formatCount(days)} of ${formatCounted(p.of, 'day')}); ${listed(fate)}.`);
    }
  } else if (kept + provisional > 0) {
    const fate = [
      ...(kept > 0 ? [`${formatCounted(kept, 'stored value')} kept`] : []),
      ...(provisional > 0 ? [`${formatCounted(provisional, 'value')} written as provisional until a file covers ${provisional === 1 ? 'its period' : 'their periods'} whole`] : []),
    ];
    sentences.push(`Periods the file covers only in part: ${listed(fate)}.`);
  }
  sentences.push(...rejectedSentences(out));
  return sentences.join(' ');
}

/** Up to ten SKUs by name, then how many more. */
export function namedSkus(names: string[], total: number): string {
  const shown = names.slice(0, 10);
  return `${listed(shown)}${total > shown.length ? `, and ${formatCount(total - shown.length)} more` : ''}`;
}

/**
 * The rows the file's reader rejected, as the upload check lists them (grouped by reason, with
 * their lines: "1 row rejected: date '6.12.2O26' does not parse (line 3)."), and the dataset's
 * SKUs whose every line was rejected: left as they were, not absent, never given 0.
 */
function rejectedSentences(out: Partial<Pick<ActualsAppended, 'rejectedSkus'>> & { report: Partial<Pick<ActualsAppended['report'], 'rejectedCount' | 'rejectedReasons'>> }): string[] {
  const count = out.report.rejectedCount ?? 0;
  if (count === 0) return [];
  const lines = (g: { count: number; lines: number[] }) => `line${g.lines.length === 1 ? '' : 's'} ${g.lines.join(', ')}${g.count > g.lines.length ? ', …' : ''}`;
  // The most frequent first, as the API sends them; a tie in file order (a Summe row read first is not line 1).
  const sorted = [...(out.report.rejectedReasons ?? [])].sort((a, b) => b.count - a.count || (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
  const groups = sorted.slice(0, 5).map((g) => (g.count === 1 ? `${g.example} (${lines(g)})` : `${formatCount(g.count)} × ${g.reason}, e.g. ${g.example} (${lines(g)})`));
  const more = (out.report.rejectedReasons?.length ?? 0) > 5 ? '; …' : '';
  const sentences = [`${formatCounted(count, 'row')} rejected${groups.length > 0 ? `: ${groups.join('; ')}${more}` : ''}.`];
  const skus = out.rejectedSkus;
  if (skus && skus.count > 0) {
    const names = namedSkus(skus.skus.map((r) => `${r.sku} (line ${r.line})`), skus.count);
    sentences.push(`${skus.count === 1 ? 'Every line of 1 SKU was' : `Every line of ${formatCount(skus.count)} SKUs was`} rejected: ${names}; ${skus.count === 1 ? 'it is' : 'they are'} left as ${skus.count === 1 ? 'it was' : 'they were'}, not given 0. Correct ${skus.count === 1 ? 'its lines' : 'their lines'} and send them again.`);
  }
  return sentences;
}

/**
 * An append's warning as the API wrote it, readable: its dates in the app's format (2026-12-01
 * is "Dec 1, 2026" in en-US), a capital to start, and the options it names told by the page's
 * controls (planner-words.ts: "absentSkus=zero" is "“SKUs not in the file sold nothing” ticked").
 * Otherwise the text is the API's.
 */
export function readableWarning(warning: string): string {
  const dated = inPlannerWords(warning).replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => formatDate(iso));
  return dated.charAt(0).toUpperCase() + dated.slice(1);
}
