import type { DatasetStore } from '../datasets/dataset-store.js';
import type { Dataset, SeriesRecord } from '../datasets/dataset.js';
import { classifyDemand } from '../datasets/demand-class.js';
import { modelHistory } from '../datasets/model-history.js';
import {
  getModel, mayBorrowProfile, oneYearBefore, poolSlotIndices, slotIndicesThrough,
  type ForecastInput, type Frequency, type ProfileSeries, type SeasonalProfile,
} from '../forecasting/index.js';

/** SKUs read and computed per page: one page of daily SKUs in memory at a time, not the dataset. */
const PAGE = 200;

/**
 * Computes a page of SKUs' contributions to a pooled profile (slotIndicesThrough on each). The
 * worker passes one that runs in its optimization threads (the CPU of a page of daily SKUs must
 * not share the main thread with lease renewals); the default runs inline, for tests and for the
 * handler's inline mode.
 */
export type ContributionsFn = (page: ProfileSeries[], frequency: Frequency, through: string) => Promise<Array<number[] | null>>;

export const inlineContributions: ContributionsFn = async (page, frequency, through) => page.map((s) => slotIndicesThrough(s, frequency, through));

interface Entry {
  key: string; // the dataset's updatedAt and SKU count: an edit or an import makes a new entry
  dataset: SeasonalProfile | null;
  groupColumn: string | null;
  byGroup: Map<string, SeasonalProfile | null>;
}

/**
 * SeasonalProfileSource gives a short SKU's job the yearly seasonal profile pooled across the
 * long, non-intermittent SKUs of its dataset, or of its attribute group where the import marked one (the first
 * attribute column that is not part of the SKU key, e.g. a category) and that group has at least
 * MIN_POOLED_SKUS (3) long SKUs. The engine stays pure: the profile is computed here, from the store,
 * and passed in as input; forecastSku decides by cross-validation whether to use it.
 *
 * Modes: a dataset's profiles are computed once per worker, on the first short SKU that asks,
 * from every series of the dataset read PAGE SKUs at a time (each page's contributions computed
 * by `contribute`: in the optimization threads in a worker), and kept while the dataset's
 * updatedAt and SKU count are unchanged (an edit or a re-import touches the dataset, so the next
 * short SKU recomputes them). Long SKUs and non-seasonal models never read the dataset.
 *
 * A profile depends on whole periods only: which SKUs the dataset has, their attributes, and each
 * one's model history (the pool's members, their demand class, the cut-off `through` are all read
 * from it). So an append that changes no SKU's model history (the month to date, day by day)
 * leaves every profile as it was. (Such an append still queues the short SKUs' jobs that may
 * borrow it: they have no input hash, and nothing stored says a result is still current.)
 */
export class SeasonalProfileSource {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();

  constructor(
    private readonly store: Pick<DatasetStore, 'getDataset' | 'getSeriesMany' | 'skuAttributes'>,
    private readonly contribute: ContributionsFn = inlineContributions,
  ) {}

  /** The profile for this SKU's input, or undefined where it has enough history or the model has no season. */
  async profileFor(datasetId: string, series: SeriesRecord, input: ForecastInput): Promise<SeasonalProfile | undefined> {
    const def = getModel(input.modelId);
    if (!def?.info.seasonal || def.info.intermittent) return undefined;
    const dataset = await this.store.getDataset(datasetId);
    if (!dataset) return undefined;
    if (!mayBorrowProfile(def.info, dataset.frequency, input.values.length) || (input.frequency !== undefined && input.frequency !== dataset.frequency)) return undefined;
    const entry = await this.entry(dataset);
    const group = entry.groupColumn ? series.attributes?.[entry.groupColumn] : undefined;
    return (group !== undefined ? entry.byGroup.get(group) : null) ?? entry.dataset ?? undefined;
  }

  private async entry(dataset: Dataset): Promise<Entry> {
    const key = `${dataset.updatedAt}:${dataset.skuCount}`;
    const cached = this.entries.get(dataset.id);
    if (cached?.key === key) return cached;
    const inFlight = this.pending.get(`${dataset.id}:${key}`);
    if (inFlight) return inFlight;
    const promise = this.compute(dataset, key).finally(() => this.pending.delete(`${dataset.id}:${key}`));
    this.pending.set(`${dataset.id}:${key}`, promise);
    const entry = await promise;
    this.entries.set(dataset.id, entry);
    return entry;
  }

  private async compute(dataset: Dataset, key: string): Promise<Entry> {
    const attributes = await this.store.skuAttributes(dataset.id);
    const skus = Object.keys(attributes);
    const mapping = dataset.report.mapping;
    const keyColumns = new Set(mapping?.skuColumns ?? [mapping?.sku]);
    const groupColumn = mapping?.attributes?.find((c) => !keyColumns.has(c)) ?? null;
    // One year before the last whole period the SKUs' model histories reach: a short SKU's later
    // cross-validation origins lie in its last year, and forecastSku judges the profile on the
    // origins after this date only. Not the report's dateRange.end, which includes the month to
    // date: the pool would then move with the first day of each month although no model sees that
    // day, and an append of the month to date could not leave it as it was.
    const { last, firstPage } = await this.lastWholeDate(dataset, skus);
    const through = oneYearBefore(last);
    // Page by page: the reads and the cleaning (edits applied, trailing provisional periods left
    // out) here, the CPU in `contribute`.
    const contributions: Array<{ group: string | undefined; indices: ArrayLike<number> }> = [];
    for (let i = 0; i < skus.length; i += PAGE) {
      const read = i === 0 && firstPage ? firstPage : await this.store.getSeriesMany(dataset.id, skus.slice(i, i + PAGE));
      // As each SKU's own job sees it (modelHistory): a month to date pooled in would read as that
      // month's seasonal low. Intermittent and lumpy SKUs pool nothing: a slot that happened to sell
      // nothing in both years gives a ratio near 0, and in a long tail of such SKUs the median would
      // be that noise. The class of the model history, computed here: the stored one counts the
      // month to date (a day more of the month must not move a SKU in or out of the pool), and one
      // function of the whole periods stays so whatever wrote the stored class.
      const page = read.map((s) => ({ s, history: modelHistory(s) })).filter(({ history }) => {
        const demand = classifyDemand(history.values);
        return demand !== 'intermittent' && demand !== 'lumpy';
      });
      const computed = await this.contribute(page.map(({ history }) => ({ values: history.values, dates: history.dates })), dataset.frequency, through);
      computed.forEach((indices, k) => {
        // Float32: 50,000 daily SKUs keep 73 MB of indices, not 146.
        if (indices) contributions.push({ group: groupColumn ? page[k].s.attributes?.[groupColumn] : undefined, indices: Float32Array.from(indices) });
      });
    }
    const byGroup = new Map<string, SeasonalProfile | null>();
    if (groupColumn) {
      const groups = new Map<string, Array<ArrayLike<number>>>();
      for (const c of contributions) {
        if (c.group === undefined) continue;
        if (!groups.has(c.group)) groups.set(c.group, []);
        groups.get(c.group)!.push(c.indices);
      }
      for (const [g, members] of groups) byGroup.set(g, poolSlotIndices(members, dataset.frequency, through, `${groupColumn} = ${g}`));
    }
    return { key, dataset: poolSlotIndices(contributions.map((c) => c.indices), dataset.frequency, through, 'dataset'), groupColumn, byGroup };
  }

  /**
   * The last date the SKUs' model histories reach (each without its trailing provisional periods),
   * and the SKUs read for it when they fit in one page (read once, not twice). Daily data have no
   * partial period (a day is its own period), so the report's date range says it without a read;
   * other frequencies (and a report with no date range: older imports) take one more pass over the
   * pages, short ones to read (a weekly SKU of three years is 156 values).
   */
  private async lastWholeDate(dataset: Dataset, skus: string[]): Promise<{ last: string; firstPage: SeriesRecord[] | null }> {
    const end = dataset.report.dateRange?.end;
    if (dataset.frequency === 'daily' && end !== undefined) return { last: end, firstPage: null };
    let last = '';
    let firstPage: SeriesRecord[] | null = null;
    for (let i = 0; i < skus.length; i += PAGE) {
      const page = await this.store.getSeriesMany(dataset.id, skus.slice(i, i + PAGE));
      if (skus.length <= PAGE) firstPage = page;
      for (const s of page) {
        const { dates } = modelHistory(s);
        const d = dates[dates.length - 1];
        if (d !== undefined && d > last) last = d;
      }
    }
    return { last, firstPage };
  }
}
