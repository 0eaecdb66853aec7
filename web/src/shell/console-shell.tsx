import AppLayout from '@cloudscape-design/components/app-layout';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { useEffect, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';

import { consoleHref, routerPath } from '../app/console-paths.js';
import { useAccount, useSession } from '../session/session-context.js';
import { navigationItems } from './navigation-items.js';
import { PageNotifications, useNotifications } from './notifications.js';

/** The signed-in frame around every page: top bar, role-based side navigation, notifications. */
export function ConsoleShell(): JSX.Element {
  const account = useAccount();
  const { signOut } = useSession();
  const { notifyError, clear } = useNotifications();
  const navigate = useNavigate();
  const location = useLocation();
  const [navigationOpen, setNavigationOpen] = useState(() => !isPhoneSized());
  const items = useMemo(() => navigationItems(account), [account]);

  // Messages belong to the page they were raised on.
  useEffect(() => clear(), [location.pathname, clear]);

  const follow = (event: CustomEvent<{ href: string; external?: boolean }>): void => {
    if (event.detail.external === true) return;
    event.preventDefault();
    navigate(routerPath(event.detail.href));
    // On a phone the navigation covers the page; close it once a page is chosen.
    if (isPhoneSized()) setNavigationOpen(false);
  };

  return (
    <>
      <div id="console-top-navigation" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{
            href: consoleHref(''),
            title: 'Goldsmith',
            onFollow: (event) => {
              event.preventDefault();
              navigate('/');
            },
          }}
          utilities={[
            {
              type: 'menu-dropdown',
              text: account.name,
              description: `${account.roles.join(', ')} · account ${account.id}`,
              iconName: 'user-profile',
              items: [{ id: 'sign-out', text: 'Sign out' }],
              onItemClick: (event) => {
                if (event.detail.id !== 'sign-out') return;
                signOut().catch((error: unknown) => notifyError('Could not sign out', error));
              },
            },
          ]}
        />
      </div>
      <AppLayout
        headerSelector="#console-top-navigation"
        navigationOpen={navigationOpen}
        onNavigationChange={(event) => setNavigationOpen(event.detail.open)}
        navigation={
          <SideNavigation
            header={{ text: 'Goldsmith console', href: consoleHref('') }}
            activeHref={consoleHref(location.pathname)}
            items={items}
            onFollow={follow}
          />
        }
        notifications={<PageNotifications />}
        toolsHide
        content={<Outlet />}
      />
    </>
  );
}

/** Below Cloudscape's mobile breakpoint (688 px), where the navigation is an overlay. */
function isPhoneSized(): boolean {
  return window.matchMedia('(max-width: 688px)').matches;
}
