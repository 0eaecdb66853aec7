import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import { ApiClient } from '../api/api-client.js';
import { toApiError, type ApiError } from '../api/api-error.js';
import type { Account, Role } from '../api/api-types.js';
import * as sessionApi from '../api/session-api.js';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: ApiError }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly account: Account };

export interface SessionValue {
  readonly state: SessionState;
  /** The API client every page calls the API with. */
  readonly client: ApiClient;
  /** Signs in with an API token; throws an ApiError the sign-in page shows. */
  signIn(token: string): Promise<void>;
  /** Ends the session on the server, then forgets it here. */
  signOut(): Promise<void>;
  /** Asks the server again for the session, after a failure to load it. */
  reload(): void;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

/** Loads the browser's session once at start and shares it, with the API client, with every page. */
export function SessionProvider({ children }: { children: ReactNode }): JSX.Element {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const client = useMemo(
    () =>
      new ApiClient(() => {
        client.useCsrfToken(undefined);
        setState({ status: 'signed-out' });
      }),
    [],
  );

  useEffect(() => {
    let current = true;
    sessionApi.currentSession(client).then(
      (session) => {
        if (!current) return;
        client.useCsrfToken(session?.csrfToken);
        setState(
          session === undefined
            ? { status: 'signed-out' }
            : { status: 'signed-in', account: session.account },
        );
      },
      (error: unknown) => {
        if (current) setState({ status: 'failed', error: toApiError(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [client, attempt]);

  const signIn = useCallback(
    async (token: string) => {
      const session = await sessionApi.signIn(client, token);
      client.useCsrfToken(session.csrfToken);
      setState({ status: 'signed-in', account: session.account });
    },
    [client],
  );

  const signOut = useCallback(async () => {
    await sessionApi.signOut(client);
    client.useCsrfToken(undefined);
    setState({ status: 'signed-out' });
  }, [client]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(
    () => ({ state, client, signIn, signOut, reload }),
    [state, client, signIn, signOut, reload],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session and API client; only inside SessionProvider. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession needs a SessionProvider');
  return value;
}

/** The signed-in account; only on pages the shell renders after sign-in. */
export function useAccount(): Account {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useAccount needs a signed-in session');
  return state.account;
}

/** True when the account holds the role. */
export function hasRole(account: Account, role: Role): boolean {
  return account.roles.includes(role);
}
