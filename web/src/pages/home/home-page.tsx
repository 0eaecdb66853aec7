import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useNavigate } from 'react-router-dom';

import { ROLES } from '../../api/api-types.js';
import { CONSOLE_PAGES, ROLE_TITLES } from '../../app/console-pages.js';
import { consoleHref, routerPath } from '../../app/console-paths.js';
import { useAccount } from '../../session/session-context.js';

/** The console's start page: the pages the account's roles open. */
export function HomePage(): JSX.Element {
  const account = useAccount();
  const navigate = useNavigate();
  return (
    <ContentLayout
      header={
        <Header variant="h1" description={`Signed in as ${account.name} (${account.id})`}>
          Goldsmith console
        </Header>
      }
    >
      <SpaceBetween size="l">
        {ROLES.filter((role) => account.roles.includes(role)).map((role) => (
          <Container key={role} header={<Header variant="h2">{ROLE_TITLES[role]}</Header>}>
            <ul>
              {CONSOLE_PAGES.filter((page) => page.role === role).map((page) => (
                <li key={page.path}>
                  <Link
                    href={consoleHref(page.path)}
                    onFollow={(event) => {
                      event.preventDefault();
                      navigate(routerPath(consoleHref(page.path)));
                    }}
                  >
                    {page.title}
                  </Link>
                </li>
              ))}
            </ul>
          </Container>
        ))}
      </SpaceBetween>
    </ContentLayout>
  );
}
