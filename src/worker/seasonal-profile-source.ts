import type { DatasetStore } from '../datasets/dataset-store.js';
import type { Dataset, SeriesRecord } from '../datasets/dataset.js';
import { cleanedValues } from '../datasets/series-values.js';
import {
  getModel, mayBorrowProfile, oneYearBefore, poolSlotIndices, slotIndicesThrough,
  type ForecastInput, type SeasonalProfile,
} from '../forecasting/index.js';

/** SKUs whose contributions are computed between two turns of the event loop. */
const SLICE = 200;

interface Entry {
  key: string; // the dataset's updatedAt and SKU count: an edit or an import makes a new entry
  dataset: SeasonalProfile | null;
  groupColumn: string | null;
  byGroup: Map<string, SeasonalProfile | null>;
}

/**
 * SeasonalProfileSource gives a short SKU's job the yearly seasonal profile pooled across the
 * long SKUs of its dataset, or of its attribute group where the import marked one (the first
 * attribute column that is not part of the SKU key, e.g. a category) and that group has at least
 * MIN_POOLED_SKUS (3) long SKUs. The engine stays pure: the profile is computed here, from the store,
 * and passed in as input; forecastSku decides by cross-validation whether to use it.
 *
 * Modes: a dataset's profiles are computed once, on the first short SKU that asks, from every
 * series of the dataset, and kept while the dataset's updatedAt and SKU count are unchanged (an
 * edit or a re-import touches the dataset, so the next short SKU recomputes them). Long SKUs and
 * non-seasonal models never read the dataset.
 */
export class SeasonalProfileSource {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();

  constructor(private readonly store: Pick<DatasetStore, 'getDataset' | 'getSeriesMany'>) {}

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
    const all = await this.store.getSeriesMany(dataset.id);
    let last = '';
    for (const s of all) if (s.dates.length > 0 && s.dates[s.dates.length - 1] > last) last = s.dates[s.dates.length - 1];
    // One year before the dataset's last date: a short SKU's cross-validation origins lie in its
    // last year, so the profile it is scored with never saw the values it is scored on.
    const through = oneYearBefore(last);
    const mapping = dataset.report.mapping;
    const keyColumns = new Set(mapping?.skuColumns ?? [mapping?.sku]);
    const groupColumn = mapping?.attributes?.find((c) => !keyColumns.has(c)) ?? null;
    // Each SKU's contribution, in slices with a turn of the event loop between them: this runs on
    // the worker's main thread, whose lease renewals must not wait behind years of daily data.
    const contributions: Array<{ group: string | undefined; indices: number[] }> = [];
    for (let i = 0; i < all.length; i += SLICE) {
      for (const s of all.slice(i, i + SLICE)) {
        const indices = slotIndicesThrough({ values: cleanedValues(s), dates: s.dates }, dataset.frequency, through);
        if (indices) contributions.push({ group: groupColumn ? s.attributes?.[groupColumn] : undefined, indices });
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const byGroup = new Map<string, SeasonalProfile | null>();
    if (groupColumn) {
      const groups = new Map<string, number[][]>();
      for (const c of contributions) {
        if (c.group === undefined) continue;
        if (!groups.has(c.group)) groups.set(c.group, []);
        groups.get(c.group)!.push(c.indices);
      }
      for (const [g, members] of groups) byGroup.set(g, poolSlotIndices(members, dataset.frequency, through, `${groupColumn} = ${g}`));
    }
    return { key, dataset: poolSlotIndices(contributions.map((c) => c.indices), dataset.frequency, through, 'dataset'), groupColumn, byGroup };
  }
}
