import type { SideNavigationProps } from '@cloudscape-design/components/side-navigation';

import type { Account } from '../api/api-types.js';
import { ROLES } from '../api/api-types.js';
import { CONSOLE_PAGES, ROLE_TITLES } from '../app/console-pages.js';
import { consoleHref } from '../app/console-paths.js';

type Entry = SideNavigationProps.Link | { section: string; links: SideNavigationProps.Link[] };

/** The side navigation of an account: one group per role it holds, in ROLES order. */
export function navigationItems(account: Account): SideNavigationProps.Item[] {
  const groups: SideNavigationProps.Item[] = [];
  for (const role of ROLES) {
    if (!account.roles.includes(role)) continue;
    const entries: Entry[] = [];
    for (const page of CONSOLE_PAGES.filter((p) => p.role === role && p.inNavigation !== false)) {
      const link: SideNavigationProps.Link = {
        type: 'link',
        text: page.title,
        href: consoleHref(page.path),
      };
      const section = entries.find((e) => 'section' in e && e.section === page.section);
      if (page.section === undefined) entries.push(link);
      else if (section !== undefined && 'links' in section) section.links.push(link);
      else entries.push({ section: page.section, links: [link] });
    }
    groups.push({
      type: 'section-group',
      title: ROLE_TITLES[role],
      items: entries.map((e) =>
        'section' in e ? { type: 'section', text: e.section, items: e.links } : e,
      ),
    });
  }
  return groups;
}
