import { useCallback, useEffect, useState } from 'react';

import type { ApiClient } from '../api/api-client.js';
import { toApiError, type ApiError } from '../api/api-error.js';
import { useSession } from '../session/session-context.js';

export interface ApiQuery<T> {
  /** The last data loaded; kept while reloading so tables do not flash empty. */
  readonly data: T | undefined;
  readonly loading: boolean;
  /** The last load's failure, cleared by the next successful load. */
  readonly error: ApiError | undefined;
  reload(): void;
}

/**
 * Loads data from the API when a page opens and on `reload()`: the console's
 * one loading / error / data pattern. `load` must be stable (defined outside
 * the component, or memoised).
 */
export function useApiQuery<T>(load: (client: ApiClient) => Promise<T>): ApiQuery<T> {
  const { client } = useSession();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    load(client).then(
      (loaded) => {
        if (!current) return;
        setData(loaded);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(toApiError(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [client, load, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, loading, error, reload };
}
