import './styles.css';

import { errorStatus } from '@buybuy/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';

import { AuthProvider } from './auth';
import { shopQuery } from './money';
import { router } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx will answer the same way again; only network and server failures are worth a retry.
      retry: (failures, error) => {
        const status = errorStatus(error);
        return failures < 2 && (status === undefined || status >= 500);
      },
    },
  },
});

// Every price waits for the shop's currency: ask for it while the first screen's code downloads.
void queryClient.prefetchQuery(shopQuery);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
