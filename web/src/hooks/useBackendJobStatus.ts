import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApiClient, type ApiClient, type FetchLike } from '../api/client.js';
import type { JobStatusQuery } from '../api/types.js';
import {
  initialJobStatusState,
  JobStatusPoller,
  type JobStatusState,
  type PollerOptions,
} from './job-status-poller.js';

/** The poller's options; the client is optional here, and the state goes to React instead of onState. */
export interface BackendJobStatusOptions extends Omit<PollerOptions, 'client' | 'onState'> {
  /** Inject a fetch (tests) or a whole client; defaults to the browser's fetch on this origin. */
  fetch?: FetchLike;
  client?: Pick<ApiClient, 'jobStatus'>;
  /** false: no polling (the state goes back to its initial, not-loaded value); default true. */
  enabled?: boolean;
}

/** The poller's state, plus a way to ask for a fresh snapshot now. */
export interface BackendJobStatus extends JobStatusState {
  refresh: () => void;
}

/**
 * The queue as the backend sees it, polled (see JobStatusPoller for the cadence). Only
 * ForecastPage calls this: everything else receives `jobs` and `summary` as props, so every
 * part of the UI shows the same snapshot (the seed's lesson about racing fetches).
 */
export function useBackendJobStatus(options: BackendJobStatusOptions = {}): BackendJobStatus {
  const [state, setState] = useState<JobStatusState>(initialJobStatusState);
  const pollerRef = useRef<JobStatusPoller | null>(null);
  const queryKey = JSON.stringify(options.query ?? {});
  const client = useMemo(
    () => options.client ?? createApiClient({ fetch: options.fetch }),
    [options.client, options.fetch],
  );

  const enabled = options.enabled !== false;
  useEffect(() => {
    if (!enabled) {
      setState(initialJobStatusState);
      return;
    }
    const poller = new JobStatusPoller({
      client,
      query: JSON.parse(queryKey) as JobStatusQuery,
      activeMs: options.activeMs,
      idleMs: options.idleMs,
      maxBackoffMs: options.maxBackoffMs,
      timers: options.timers,
      visibility: options.visibility,
      onState: setState,
    });
    pollerRef.current = poller;
    poller.start();
    return () => {
      poller.stop();
      pollerRef.current = null;
    };
    // The poller is rebuilt only when what it asks for changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, client, queryKey, options.activeMs, options.idleMs, options.maxBackoffMs, options.timers, options.visibility]);

  const refresh = useCallback(() => pollerRef.current?.refresh(), []);
  return { ...state, refresh };
}
