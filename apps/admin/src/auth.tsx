import type { RouterOutputs } from '@buybuy/client';
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

export const NO_ACCESS_MESSAGE =
  'This account does not have access to the admin panel. Sign in with an administrator account.';

interface AuthState {
  signedIn: boolean;
  me: Me | undefined;
  loading: boolean;
  error: unknown;
  /** Resolves when the account is an admin; otherwise signs it out again and throws. */
  signIn: (email: string, password: string) => Promise<void>;
  signOut: (reason?: string) => Promise<void>;
  /** Why the last session ended, shown on the sign-in page once. */
  notice: string | null;
  clearNotice: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

export class NoAccessError extends Error {
  constructor() {
    super(NO_ACCESS_MESSAGE);
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [signedIn, setSignedIn] = useState(() => readTokens() !== null);
  const [notice, setNotice] = useState<string | null>(null);
  const signingOut = useRef(false);

  useEffect(
    () =>
      onTokensChange((tokens) => {
        setSignedIn(tokens !== null);
        if (tokens) return;
        queryClient.clear();
        // The SDK dropped the tokens itself: the refresh was refused.
        if (!signingOut.current) setNotice('Your session has ended. Please sign in again.');
      }),
    [queryClient],
  );

  const signOut = useCallback(async (reason?: string) => {
    setNotice(reason ?? null);
    signingOut.current = true;
    try {
      if (readTokens()) await api.auth.logout.mutate({});
    } catch {
      // The session may be gone already; forgetting the tokens is what matters.
    } finally {
      storeTokens(null);
      signingOut.current = false;
    }
  }, []);

  const signIn = useCallback(
    async (email: string, password: string) => {
      setNotice(null);
      const { user } = await api.auth.login.mutate({ email, password });
      if (!user.is_staff) {
        await signOut();
        throw new NoAccessError();
      }
      await queryClient.invalidateQueries(queries.users.profile.pathFilter());
    },
    [queryClient, signOut],
  );

  const meQuery = useQuery({
    queryKey: queries.users.profile.queryKey({}),
    queryFn: async () => {
      const me = await api.users.profile.query({});
      // Someone who lost admin rights (or a customer's tokens) goes back to the sign-in page.
      if (!me.is_staff) await signOut(NO_ACCESS_MESSAGE);
      return me;
    },
    enabled: signedIn,
    staleTime: 5 * 60_000,
    retry: false,
  });
  const me = meQuery.data;

  const value = useMemo<AuthState>(
    () => ({
      signedIn,
      me: signedIn ? me : undefined,
      loading: signedIn && meQuery.isPending,
      error: meQuery.error,
      signIn,
      signOut,
      notice,
      clearNotice: () => setNotice(null),
    }),
    [signedIn, me, meQuery.isPending, meQuery.error, signIn, signOut, notice],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthState {
  const state = use(AuthContext);
  if (!state) throw new Error('useAuth outside <AuthProvider>');
  return state;
}
