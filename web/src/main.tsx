import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { ApiProvider } from './api/ApiContext.js';
import { ApiError } from './api/client.js';
import { ForecastPage } from './pages/ForecastPage.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A refused request will be refused again; an unreachable API is retried by the status poller's recovery.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiProvider>
      <QueryClientProvider client={queryClient}>
        <ForecastPage />
      </QueryClientProvider>
    </ApiProvider>
  </StrictMode>,
);
