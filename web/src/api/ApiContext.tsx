import { createContext, useContext, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from './client.js';

const ApiContext = createContext<ApiClient | null>(null);

/** Provides the HTTP client (tests pass one built on a stub fetch). */
export function ApiProvider({ client, children }: { client?: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client ?? defaultClient()}>{children}</ApiContext.Provider>;
}

let shared: ApiClient | null = null;
function defaultClient(): ApiClient {
  shared ??= createApiClient();
  return shared;
}

export function useApi(): ApiClient {
  return useContext(ApiContext) ?? defaultClient();
}
