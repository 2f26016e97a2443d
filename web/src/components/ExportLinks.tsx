import { useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { webForecastDecimals } from '../api/client.js';
import { saveBlob } from './save-blob.js';

/** Downloads forecasts.csv and metrics.csv (fetched, so an API token goes along when one is set). */
export function ExportLinks({ datasetId }: { datasetId: string }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const download = async (file: 'forecasts.csv' | 'metrics.csv') => {
    setError(null);
    try {
      saveBlob(await api.exportCsv(datasetId, file), file);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  return (
    <div className="exports">
      <a
        className="btn"
        title={`${api.csvNote()}. Values rounded to ${webForecastDecimals} decimals; one column per attribute of the SKUs (store, category, ...).`}
        href={api.exportUrl(datasetId, 'forecasts.csv')}
        onClick={(e) => {
          e.preventDefault();
          void download('forecasts.csv');
        }}
      >
        Export forecasts.csv
      </a>
      <a
        className="btn"
        title={api.csvNote()}
        href={api.exportUrl(datasetId, 'metrics.csv')}
        onClick={(e) => {
          e.preventDefault();
          void download('metrics.csv');
        }}
      >
        Export metrics.csv
      </a>
      {error ? <span className="form-error inline">{error}</span> : null}
    </div>
  );
}
