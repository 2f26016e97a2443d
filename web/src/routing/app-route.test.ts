import { describe, expect, it } from 'vitest';
import { parseRoute, routePath, type AppRoute } from './app-route.js';

const views = ['forecasts', 'upload', 'settings'];

describe('app routes', () => {
  it('reads the dataset, the SKU, the queue and the page from the path', () => {
    expect(parseRoute('/', views)).toEqual({ datasetId: null, view: 'forecasts', sku: null, queue: false });
    expect(parseRoute('/datasets/ds_1', views)).toEqual({ datasetId: 'ds_1', view: 'forecasts', sku: null, queue: false });
    expect(parseRoute('/datasets/ds_1/skus/SKU-7', views)).toEqual({ datasetId: 'ds_1', view: 'forecasts', sku: 'SKU-7', queue: false });
    expect(parseRoute('/datasets/ds_1/queue', views)).toEqual({ datasetId: 'ds_1', view: 'forecasts', sku: null, queue: true });
    expect(parseRoute('/datasets/ds_1/settings', views)).toEqual({ datasetId: 'ds_1', view: 'settings', sku: null, queue: false });
    expect(parseRoute('/upload', views)).toEqual({ datasetId: null, view: 'upload', sku: null, queue: false });
    expect(parseRoute('/datasets/ds_1/skus/SKU-7/', views)?.sku).toBe('SKU-7');
  });

  it('refuses paths that are none of the app’s', () => {
    for (const path of ['/datasets', '/nope', '/datasets/a/nope', '/datasets/a/skus', '/datasets/a/skus/b/c', '/skus/b', '/datasets/a/%E0%A4%A']) {
      expect(parseRoute(path, views), path).toBeNull();
    }
  });

  it('writes paths that read back as the same route, whatever the SKU is called', () => {
    const routes: AppRoute[] = [
      { datasetId: null, view: 'forecasts', sku: null, queue: false },
      { datasetId: 'ds 1', view: 'forecasts', sku: null, queue: false },
      { datasetId: 'ds_1', view: 'forecasts', sku: 'A/B #3 ?x=1 %20 é', queue: false },
      { datasetId: 'ds_1', view: 'settings', sku: null, queue: false },
      { datasetId: 'ds_1', view: 'forecasts', sku: null, queue: true },
      { datasetId: null, view: 'upload', sku: null, queue: false },
    ];
    for (const route of routes) expect(parseRoute(routePath(route), views)).toEqual(route);
    // Names a URL parser would drop as dot segments, and the "~" spellings that escape them.
    for (const name of ['.', '..', '~.', '~~..', '...', '~', '.~', 'a..b']) {
      const route: AppRoute = { datasetId: 'ds_1', view: 'forecasts', sku: name, queue: false };
      const url = new URL(routePath(route), 'http://host');
      expect(parseRoute(url.pathname, views), name).toEqual(route);
    }
    expect(routePath({ datasetId: 'ds_1', view: 'forecasts', sku: 'A/B', queue: false })).toBe('/datasets/ds_1/skus/A%2FB');
  });
});
