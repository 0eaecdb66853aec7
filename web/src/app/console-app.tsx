import Box from '@cloudscape-design/components/box';
import Spinner from '@cloudscape-design/components/spinner';
import { BrowserRouter, Route, Routes } from 'react-router-dom';

import { ApiErrorAlert } from '../components/api-error-alert.js';
import { HomePage } from '../pages/home/home-page.js';
import { NotFoundPage } from '../pages/not-found/not-found-page.js';
import { SignInPage } from '../pages/sign-in/sign-in-page.js';
import { hasRole, useAccount, useSession } from '../session/session-context.js';
import { ConsoleShell } from '../shell/console-shell.js';
import { NotificationsProvider } from '../shell/notifications.js';
import { CONSOLE_PAGES, ROLE_TITLES, type ConsolePage } from './console-pages.js';
import { CONSOLE_BASE } from './console-paths.js';

/** The console: the sign-in page until there is a session, then the shell and its pages. */
export function ConsoleApp(): JSX.Element {
  const { state, reload } = useSession();
  switch (state.status) {
    case 'loading':
      return (
        <Box padding="xxxl" textAlign="center">
          <Spinner size="large" /> Loading the console
        </Box>
      );
    case 'failed':
      return (
        <Box padding="xxxl">
          <ApiErrorAlert header="Could not reach Goldsmith" error={state.error} onRetry={reload} />
        </Box>
      );
    case 'signed-out':
      return <SignInPage />;
    case 'signed-in':
      return (
        <BrowserRouter basename={CONSOLE_BASE}>
          <NotificationsProvider>
            <Routes>
              <Route element={<ConsoleShell />}>
                <Route index element={<HomePage />} />
                {CONSOLE_PAGES.map((page) => (
                  <Route key={page.path} path={page.path} element={<RolePage page={page} />} />
                ))}
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </NotificationsProvider>
        </BrowserRouter>
      );
  }
}

/** A page, if the account holds its role. The API checks roles too; this only explains. */
function RolePage({ page }: { page: ConsolePage }): JSX.Element {
  const account = useAccount();
  if (!hasRole(account, page.role)) {
    return (
      <NotFoundPage
        reason={`${page.title} is a page for the ${ROLE_TITLES[page.role].toLowerCase()} role, which this account does not hold.`}
      />
    );
  }
  const Component = page.component;
  return <Component />;
}
