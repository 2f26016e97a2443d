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
export function actualsNotice(out: Pick<ActualsAppended, 'skusChanged' | 'periodsAdded' | 'valuesRevised' | 'skusAdded' | 'jobsCreated' | 'jobsReused' | 'partial'> & { report: Pick<ActualsAppended['report'], 'partialPeriods'> }): string {
  const { kept, provisional, settled } = out.partial;
  const sentences: string[] = [];
  if (out.skusChanged === 0) {
    // "Already in the history" only when that is why: values kept against a file covering a period
    // in part are not in the history, they were kept out of it.
    sentences.push(kept > 0 ? 'Nothing changed: the stored values were kept.' : 'Nothing changed: these actuals were already in the history.', 'No job queued.');
  } else {
    const what = [
      ...(out.periodsAdded > 0 ? [`${formatCounted(out.periodsAdded, 'period')} added`] : []),
      ...(out.valuesRevised > 0 ? [`${formatCounted(out.valuesRevised, 'value')} revised`] : []),
      ...(out.skusAdded > 0 ? [formatCounted(out.skusAdded, 'new SKU')] : []),
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
  return sentences.join(' ');
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
