import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ComponentProps } from 'react';
import { expect } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { AccuracyView } from './AccuracyView.js';

/** What AccuracyView's test files share: dataset d1, its snapshot #3 of two SKUs, the API's answers and the view over them. */
export const snapshot = { id: 3, datasetId: 'd1', mark: 10, cause: 'import', createdAt: 1, historyEnd: '2024-12-01', forecastStart: '2025-01-01', forecastEnd: '2025-12-01', skuCount: 2, skusWithForecast: 2, bytes: 100, portfolio: { wape: 10, bias: 1 }, name: null };
export const figures = (wape: number) => ({ wape, bias: -2.5, mae: 4, points: 6, coverage80: 83.3, coverage95: 100 });
export const accuracy = {
  snapshot, actuals: null, portfolio: figures(12.5), byStep: [{ step: 1, ...figures(10) }], total: 2,
  summed: { wape: 4.2, bias: -2.5, points: 3 }, by: null, attributes: ['store'], groups: [],
  items: [{ sku: 'B', model: 'ets', absError: 9, ...figures(20) }, { sku: 'A', model: 'naive', absError: 0.44, ...figures(5) }],
};

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

/** An append's answer: one SKU changed by one period, five jobs queued, unless `counts` and `partial` say otherwise. */
export const appendAnswer = (counts: Record<string, unknown> = {}, partial: Record<string, unknown> = {}) => ({
  report: { warnings: [] }, skusChanged: 1, skusAdded: 0, periodsAdded: 1, valuesRevised: 0, jobsCreated: 5, ...counts,
  partial: { provisional: 0, kept: 0, settled: 0, values: [], ...partial },
});

export interface AccuracyRoutes {
  /** GET accuracy's (and accuracy.csv's) body, or a function of the URL giving it; default `accuracy`. */
  accuracy?: unknown;
  /** The snapshots GET snapshots lists; default [snapshot]. */
  snapshots?: unknown[];
  /** Answers each POST of actuals; without it they are a 404 like any other URL. */
  actuals?: (url: string, init: RequestInit) => Response | Promise<Response>;
}

/** The API of dataset d1 as `routes` has it. */
export function accuracyFetch(routes: AccuracyRoutes = {}): FetchLike {
  return async (url, init = {}) => {
    if (routes.actuals && url.startsWith('/api/datasets/d1/actuals') && init.method === 'POST') return routes.actuals(url, init);
    if (url === '/api/datasets/d1/snapshots') return json({ snapshots: routes.snapshots ?? [snapshot] });
    if (url.startsWith('/api/datasets/d1/accuracy')) {
      return json(typeof routes.accuracy === 'function' ? routes.accuracy(url) : (routes.accuracy ?? accuracy));
    }
    return json({}, 404);
  };
}

type ViewProps = Partial<Omit<ComponentProps<typeof AccuracyView>, 'datasetId'>>;

/**
 * AccuracyView of a dataset over `fetch`; every element it makes shares one API client and one
 * query cache, so a rerender with another dataset is the app switching datasets.
 */
export function accuracyViews(fetch: FetchLike, props: ViewProps = {}) {
  const client = createApiClient({ fetch, getToken: () => null });
  const queries = new QueryClient();
  return (datasetId: string) => (
    <ApiProvider client={client}>
      <QueryClientProvider client={queries}>
        <AccuracyView datasetId={datasetId} onJobsSubmitted={() => undefined} {...props} />
      </QueryClientProvider>
    </ApiProvider>
  );
}

export const renderAccuracyView = (fetch: FetchLike, props: ViewProps = {}) => render(accuracyViews(fetch, props)('d1'));

/** Picks an actuals file, then applies it once its check (a dryRun POST) is shown. */
export async function pickAndApply(file: File): Promise<void> {
  fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [file] } });
  fireEvent.click(await screen.findByTestId('actuals-apply'));
  await waitFor(() => expect(screen.queryByTestId('actuals-check')).toBeNull());
}
