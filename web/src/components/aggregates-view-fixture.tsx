import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ComponentProps } from 'react';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { AggregatesView } from './AggregatesView.js';

/** What AggregatesView's tests share: dataset d1's totals (all SKUs, by store) and the view over them. */
export const history = { dates: ['2024-12-01'], original: [100], cleaned: [100], skus: [1], provisional: [0], provisionalSpan: [null] };
export const forecast = (mean: number, skus = 1) => ({ dates: ['2025-01-01'], mean: [mean], lower80: [mean - 10], upper80: [mean + 10], lower95: [mean - 20], upper95: [mean + 20], skus: [skus], actuals: [0], provisional: [0] });
export const complete = { fromBand: 1, fromHoldout: 0, fromCv: 0, unknown: 0, unknownShare: 0, status: 'complete' };
export const group = (value: string | null, skus: number, skusWithForecast: number, mean: number, spread: object = complete) => ({
  value, skus, skusWithForecast, correlation: 0.1, spread, history, forecast: forecast(mean, skusWithForecast),
});
export const aggregates = {
  by: 'store', attributes: ['category', 'store'], bands: 'correlated',
  total: group(null, 21, 19, 4683),
  groups: [group('Central', 10, 10, 2346), group('North', 11, 9, 2337)],
};

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

/** The API answering `answer` for d1's totals, 404 for anything else. */
export const aggregatesFetch = (answer: unknown): FetchLike => async (url) =>
  (url.startsWith('/api/datasets/d1/aggregates') ? json(answer) : json({}, 404));

type ViewProps = ComponentProps<typeof AggregatesView>;

/** AggregatesView over `fetch`; the elements it makes share one API client and `queries`, so rerendering one keeps the cache. */
export function aggregatesViews(fetch: FetchLike, queries = new QueryClient()) {
  const client = createApiClient({ fetch, getToken: () => null });
  return (props: ViewProps) => (
    <ApiProvider client={client}>
      <QueryClientProvider client={queries}>
        <AggregatesView {...props} />
      </QueryClientProvider>
    </ApiProvider>
  );
}

export const renderAggregatesView = (fetch: FetchLike, props: ViewProps, queries?: QueryClient) => render(aggregatesViews(fetch, queries)(props));
