/**
 * The colour scheme follows the system (`prefers-color-scheme`): styles.css swaps its CSS
 * variables, and canvas drawings (the uPlot chart), which cannot use CSS variables, read them
 * here and redraw when the scheme changes.
 */
import { useSyncExternalStore } from 'react';

const query = '(prefers-color-scheme: dark)';

function media(): MediaQueryList | null {
  return typeof globalThis.matchMedia === 'function' ? globalThis.matchMedia(query) : null;
}

function subscribe(listener: () => void): () => void {
  const list = media();
  list?.addEventListener?.('change', listener);
  return () => list?.removeEventListener?.('change', listener);
}

const dark = () => media()?.matches ?? false;

/** 'dark' or 'light', re-rendering when the system setting changes. */
export function useColorScheme(): 'dark' | 'light' {
  return useSyncExternalStore(subscribe, dark, () => false) ? 'dark' : 'light';
}

export interface ChartColors {
  axis: string;
  grid: string;
  history: string;
  original: string;
}

const light: ChartColors = { axis: '#475569', grid: '#eef2f7', history: '#1e3a8a', original: '#94a3b8' };

/** The chart's colours from the page's CSS variables (--chart-*), light ones without a stylesheet. */
export function chartColors(): ChartColors {
  const root = globalThis.document?.documentElement;
  if (!root || typeof getComputedStyle !== 'function') return light;
  const style = getComputedStyle(root);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    axis: read('--chart-axis', light.axis),
    grid: read('--chart-grid', light.grid),
    history: read('--chart-history', light.history),
    original: read('--chart-original', light.original),
  };
}
