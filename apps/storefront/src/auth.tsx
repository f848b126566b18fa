import type { RouterInputs, RouterOutputs } from '@buybuy/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  use,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';

import { api, onTokensChange, queries, readTokens, storeTokens } from './api';

export type Me = RouterOutputs['users']['profile'];
export type Registration = RouterInputs['auth']['register'];

/** The signed-in account: one cache entry, which the account page updates after a save. */
export const profileQuery = queries.users.profile.queryOptions({});

interface AuthState {
  signedIn: boolean;
  me: Me | undefined;
  /** True while the account of a stored session is being loaded. */
  loading: boolean;
  error: unknown;
  signIn: (email: string, password: string) => Promise<void>;
  register: (input: Registration) => Promise<void>;
  signOut: () => Promise<void>;
  /**
   * After the account changed elsewhere than through the profile's own
   * mutations (a link from an email was followed): reads it again. A first
   * read still under way (the page was just opened, and read the profile
   * beside the change) may hold the account as it was, and invalidating
   * alone would only wait for it; it is cancelled and read afresh.
   */
  rereadProfile: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [signedIn, setSignedIn] = useState(() => readTokens() !== null);
  const wasSignedIn = useRef(signedIn);

  useEffect(
    () =>
      onTokensChange((tokens) => {
        setSignedIn(tokens !== null);
        if (!tokens) queryClient.removeQueries(queries.users.profile.pathFilter());
        if (wasSignedIn.current === (tokens !== null)) return; // a refresh, not a sign-in or out
        wasSignedIn.current = tokens !== null;
        if (tokens) {
          // The next cart read merges the guest cart into the user's.
          void queryClient.invalidateQueries(queries.cart.get.pathFilter());
        } else {
          queryClient.removeQueries(queries.orders.list.pathFilter());
          queryClient.removeQueries(queries.orders.byId.pathFilter());
          void queryClient.resetQueries(queries.cart.get.pathFilter());
        }
      }),
    [queryClient],
  );

  const meQuery = useQuery({
    ...profileQuery,
    enabled: signedIn,
    staleTime: 5 * 60_000,
  });

  const signIn = useCallback(
    async (email: string, password: string) => {
      await api.auth.login.mutate({ email, password });
      await queryClient.invalidateQueries(queries.users.profile.pathFilter());
    },
    [queryClient],
  );

  const register = useCallback(
    async (input: Registration) => {
      await api.auth.register.mutate(input);
      await queryClient.invalidateQueries(queries.users.profile.pathFilter());
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      if (readTokens()) await api.auth.logout.mutate({});
    } catch {
      // The session may have ended already; forgetting the tokens is what matters.
    } finally {
      storeTokens(null);
    }
  }, []);

  const rereadProfile = useCallback(async () => {
    const filter = queries.users.profile.pathFilter();
    await queryClient.cancelQueries(filter);
    await queryClient.invalidateQueries(filter);
  }, [queryClient]);

  const value = useMemo<AuthState>(
    () => ({
      signedIn,
      me: signedIn ? meQuery.data : undefined,
      loading: signedIn && meQuery.isPending,
      error: meQuery.error,
      signIn,
      register,
      signOut,
      rereadProfile,
    }),
    [
      signedIn,
      meQuery.data,
      meQuery.isPending,
      meQuery.error,
      signIn,
      register,
      signOut,
      rereadProfile,
    ],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthState {
  const state = use(AuthContext);
  if (!state) throw new Error('useAuth outside <AuthProvider>');
  return state;
}
