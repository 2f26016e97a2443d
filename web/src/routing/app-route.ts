/**
 * The web app's URLs, parsed and written in one place:
 *
 *   /                              the default dataset's forecasts
 *   /datasets/:id                  a dataset's forecasts (its first SKU is chosen)
 *   /datasets/:id/skus/:sku        one SKU of a dataset: the link a planner sends a colleague
 *   /datasets/:id/queue            the optimization queue, open over the page beneath it
 *   /datasets/:id/:view            another page of the dataset (upload, settings, ...)
 *   /upload, /queue, /:view        the same without a dataset (none exists yet)
 *
 * The API answers index.html for every one of these paths, so a link opens the app where it points.
 * Views are given by the caller (MainLayout's tabs), so a new page needs no change here.
 */
import { skuFromSegment, skuSegment } from '../api/sku-segment.js';

export interface AppRoute {
  datasetId: string | null;
  view: string;
  sku: string | null;
  queue: boolean;
}

export const defaultView = 'forecasts';

export const homeRoute: AppRoute = { datasetId: null, view: defaultView, sku: null, queue: false };

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null; // a malformed %-escape: not one of ours
  }
}

function encodedSkuSegment(sku: string): string {
  return encodeURIComponent(skuSegment(sku));
}

/** The route for a pathname, or null when the path is none of the app's. */
export function parseRoute(pathname: string, views: readonly string[]): AppRoute | null {
  const raw = pathname.split('/').filter((s) => s !== '');
  const parts = raw.map(decode);
  if (parts.some((p) => p === null)) return null;
  const segs = parts as string[];
  let datasetId: string | null = null;
  let rest = segs;
  if (segs[0] === 'datasets') {
    if (segs.length < 2) return null;
    datasetId = segs[1];
    rest = segs.slice(2);
  }
  if (rest.length === 0) return { datasetId, view: defaultView, sku: null, queue: false };
  if (rest[0] === 'skus' && rest.length === 2 && datasetId !== null) return { datasetId, view: defaultView, sku: skuFromSegment(rest[1]), queue: false };
  if (rest.length !== 1) return null;
  if (rest[0] === 'queue') return { datasetId, view: defaultView, sku: null, queue: true };
  if (views.includes(rest[0])) return { datasetId, view: rest[0], sku: null, queue: false };
  return null;
}

/** The pathname of a route; parseRoute(routePath(r)) gives r back. */
export function routePath(route: AppRoute): string {
  const base = route.datasetId === null ? '' : `/datasets/${encodeURIComponent(route.datasetId)}`;
  if (route.queue) return `${base}/queue`;
  if (route.view !== defaultView) return `${base}/${encodeURIComponent(route.view)}`;
  if (route.sku !== null && route.datasetId !== null) return `${base}/skus/${encodedSkuSegment(route.sku)}`;
  return base || '/';
}
