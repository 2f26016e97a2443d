/**
 * A tiny router on the browser's History API. `navigate` pushes (or replaces) an entry and tells
 * subscribers; Back and Forward arrive as `popstate`. Each entry may carry a small state object
 * (the queue dialog keeps the path beneath it there), which is why this is not just
 * `location.pathname`.
 */
import { useCallback, useSyncExternalStore } from 'react';

export interface HistoryLocation {
  path: string;
  state: unknown;
}

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

const changeEvent = 'skucast:navigate';
const listeners = new Set<() => void>();
let snapshot: HistoryLocation | null = null;

function read(): HistoryLocation {
  const loc = globalThis.location;
  const path = loc ? loc.pathname : '/';
  const state = globalThis.history?.state ?? null;
  if (!snapshot || snapshot.path !== path || snapshot.state !== state) snapshot = { path, state };
  return snapshot;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    globalThis.addEventListener?.('popstate', notify);
    globalThis.addEventListener?.(changeEvent, notify);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      globalThis.removeEventListener?.('popstate', notify);
      globalThis.removeEventListener?.(changeEvent, notify);
    }
  };
}

function notify(): void {
  for (const listener of [...listeners]) listener();
}

/** Go to `path` (keeping the query string and hash out of it: the app's state lives in the path). */
export function navigate(path: string, options: NavigateOptions = {}): void {
  const history = globalThis.history;
  if (!history) return;
  const current = read();
  if (current.path === path && !options.replace && options.state === undefined) return;
  if (options.replace) history.replaceState(options.state ?? null, '', path);
  else history.pushState(options.state ?? null, '', path);
  globalThis.dispatchEvent?.(new Event(changeEvent));
}

export function goBack(): void {
  globalThis.history?.back();
}

/** The current path and entry state; re-renders on navigate, Back and Forward. */
export function useHistoryLocation(): HistoryLocation & { navigate: typeof navigate } {
  const location = useSyncExternalStore(subscribe, read, read);
  const go = useCallback(navigate, []);
  return { ...location, navigate: go };
}
