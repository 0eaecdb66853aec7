import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import { toApiError } from '../api/api-error.js';

interface NotificationsValue {
  readonly items: readonly FlashbarProps.MessageDefinition[];
  /** Shows a failed action's error at the top of the page, until dismissed or the page changes. */
  notifyError(header: string, error: unknown): void;
  clear(): void;
}

const NotificationsContext = createContext<NotificationsValue | undefined>(undefined);

/** Holds the page's flash messages: failures of actions, as opposed to failed loads. */
export function NotificationsProvider({ children }: { children: ReactNode }): JSX.Element {
  const [items, setItems] = useState<FlashbarProps.MessageDefinition[]>([]);
  const dismiss = useCallback(
    (id: string) => setItems((all) => all.filter((i) => i.id !== id)),
    [],
  );
  const notifyError = useCallback(
    (header: string, error: unknown) => {
      const failure = toApiError(error);
      const id = `${Date.now()}-${Math.random()}`;
      setItems((all) => [
        ...all,
        {
          id,
          type: 'error',
          header,
          content: `${failure.message} (${failure.code})`,
          dismissible: true,
          dismissLabel: 'Dismiss message',
          onDismiss: () => dismiss(id),
        },
      ]);
    },
    [dismiss],
  );
  const clear = useCallback(() => setItems([]), []);
  const value = useMemo(() => ({ items, notifyError, clear }), [items, notifyError, clear]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

/** The page's flash messages; only inside NotificationsProvider. */
export function useNotifications(): NotificationsValue {
  const value = useContext(NotificationsContext);
  if (value === undefined) throw new Error('useNotifications needs a NotificationsProvider');
  return value;
}

/** The flash messages, for the AppLayout's notifications slot. */
export function PageNotifications(): JSX.Element {
  const { items } = useNotifications();
  return <Flashbar items={[...items]} />;
}
