import { useEffect } from 'react';

import { LIVE_REFRESH_MS } from './buyer-states.js';

/** Calls `reload` every few seconds while `active`: lists follow work in progress. */
export function useLiveRefresh(active: boolean, reload: () => void): void {
  useEffect(() => {
    if (!active) return undefined;
    const timer = window.setInterval(reload, LIVE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [active, reload]);
}
