import type { DatasetStore } from '../../datasets/dataset-store.js';
import type { SqliteContext } from './sqlite-context.js';

export function sqliteDatasets(_ctx: SqliteContext): DatasetStore {
  const notYet = async (): Promise<never> => {
    throw new Error('SQLite datasets: not implemented yet');
  };
  return {
    createDataset: notYet, getDataset: notYet, listDatasets: notYet, latestDataset: notYet, deleteDataset: notYet,
    getSeries: notYet, getSeriesMany: notYet, missingSkus: notYet, listSkus: notYet, updateSeries: notYet,
    updateSettings: notYet, setOverride: notYet, getOverrides: notYet, latestResults: notYet,
  };
}
