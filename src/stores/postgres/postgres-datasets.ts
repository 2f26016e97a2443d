import type { DatasetStore } from '../../datasets/dataset-store.js';
import type { PgContext } from './postgres-context.js';

export function postgresDatasets(_ctx: PgContext): DatasetStore {
  const notYet = async (): Promise<never> => {
    throw new Error('PostgreSQL datasets: not implemented yet');
  };
  return {
    createDataset: notYet, getDataset: notYet, listDatasets: notYet, latestDataset: notYet, deleteDataset: notYet,
    getSeries: notYet, getSeriesMany: notYet, missingSkus: notYet, listSkus: notYet, updateSeries: notYet,
    updateSettings: notYet, setOverride: notYet, getOverrides: notYet, latestResults: notYet,
  };
}
