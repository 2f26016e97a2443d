import { useCallback, useEffect, useMemo } from 'react';
import { homeRoute, parseRoute, routePath, type AppRoute } from './app-route.js';
import { goBack, useHistoryLocation } from './history-location.js';

/**
 * What the queue dialog's history entry remembers: the path of the page beneath it, and whether
 * the app pushed this entry (then closing is a real Back; a link straight to the queue is not).
 * Entries written before `pushed` existed were all pushed by the app: a missing flag means pushed.
 */
interface QueueEntryState {
  under: string;
  pushed?: boolean;
}

function isQueueEntry(state: unknown): state is QueueEntryState {
  return typeof state === 'object' && state !== null && typeof (state as QueueEntryState).under === 'string';
}

/** What can be kept of a path that is none of the app's: its dataset (`/datasets/d1/nope`), else home. */
function knownPart(path: string, views: readonly string[]): AppRoute {
  const dataset = /^\/datasets\/([^/]+)/.exec(path);
  return (dataset && parseRoute(dataset[0], views)) || homeRoute;
}

export interface GoOptions {
  replace?: boolean;
  /**
   * Fill in the page beneath the queue dialog when it is open now, leaving the dialog open (the
   * app choosing the first SKU of a list that loaded after the planner opened the queue); else as
   * `replace`.
   */
  beneath?: boolean;
}

export interface AppRouting {
  /** What the URL says. */
  route: AppRoute;
  /** The page to show: the route itself, or, while the queue is open, the page beneath it. */
  page: AppRoute;
  /**
   * Push (or replace) a route; Back returns to the one before. A function gets the route of the
   * address at the moment it is called (an upload that finishes later sees whether the queue is open now).
   */
  go: (route: AppRoute | ((current: AppRoute) => AppRoute), options?: GoOptions) => void;
  openQueue: () => void;
  /** Back to the page the queue was opened over (a real Back when the app opened it). */
  closeQueue: () => void;
}

/**
 * The app's route from the URL, for the views `views` (MainLayout's tabs). A path that is none of
 * the app's (by its dataset's page when it names one), or the old `#/upload` links, is replaced by its meaning, so the address bar is always
 * a link that opens what is on screen.
 */
export function useAppRoute(views: readonly string[]): AppRouting {
  const location = useHistoryLocation();
  const { navigate } = location;
  const parsed = useMemo(() => parseRoute(location.path, views), [location.path, views]);
  const route = parsed ?? homeRoute;

  useEffect(() => {
    const legacy = globalThis.location?.hash.replace(/^#\/?/, '') ?? '';
    if (legacy && views.includes(legacy) && location.path === '/') navigate(routePath({ ...homeRoute, view: legacy }), { replace: true });
    else if (parsed === null) navigate(routePath(knownPart(location.path, views)), { replace: true });
  }, [parsed, location.path, views, navigate]);

  const page = useMemo(() => {
    if (!route.queue) return route;
    const under = isQueueEntry(location.state) ? parseRoute(location.state.under, views) : null;
    return under ? { ...under, datasetId: route.datasetId } : { ...route, queue: false };
  }, [route, location.state, views]);

  const go = useCallback(
    (next: AppRoute | ((current: AppRoute) => AppRoute), options: GoOptions = {}) => {
      const path = globalThis.location?.pathname ?? '/';
      const current = parseRoute(path, views) ?? homeRoute;
      const target = typeof next === 'function' ? next(current) : next;
      if (options.beneath && current.queue && !target.queue && target.datasetId === current.datasetId) {
        const pushed = isQueueEntry(globalThis.history?.state) && globalThis.history.state.pushed !== false;
        navigate(path, { replace: true, state: { under: routePath(target), pushed } satisfies QueueEntryState });
        return;
      }
      navigate(routePath(target), { replace: options.replace || options.beneath });
    },
    [navigate, views],
  );

  const openQueue = useCallback(() => {
    if (route.queue) return;
    navigate(routePath({ ...route, queue: true, sku: null, view: 'forecasts' }), { state: { under: location.path, pushed: true } satisfies QueueEntryState });
  }, [route, location.path, navigate]);

  const closeQueue = useCallback(() => {
    if (!route.queue) return;
    if (isQueueEntry(location.state) && location.state.pushed !== false) goBack();
    else navigate(routePath(page), { replace: true });
  }, [route.queue, location.state, page, navigate]);

  return { route, page, go, openQueue, closeQueue };
}
