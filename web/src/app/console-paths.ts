/** The console's base path; the server and web/vite.config.ts use the same. */
export const CONSOLE_BASE = '/console';

/** The browser address of a console path (for `href`s, so links open in new tabs too). */
export function consoleHref(path: string): string {
  return `${CONSOLE_BASE}/${path.replace(/^\//, '')}`;
}

/** The router path of a console href: what `navigate` takes. */
export function routerPath(href: string): string {
  return href.startsWith(CONSOLE_BASE) ? href.slice(CONSOLE_BASE.length) || '/' : href;
}
