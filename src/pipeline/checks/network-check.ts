import { makeFinding } from '../../domain/findings/finding-catalogue.js';
import type { Finding } from '../../domain/types.js';
import type { NetworkAttempt } from '../../sandbox/network/network-types.js';
import type { InstallerCheck } from './installer-check.js';

/** A name lookup without a dot (the instance's own host name, say) is not a download. */
function isDownloadAttempt(attempt: NetworkAttempt): boolean {
  return attempt.protocol !== 'dns' || (attempt.host ?? '').includes('.');
}

/** No downloads: every DNS query and connection attempt the sink recorded. */
export const noDownloadCheck: InstallerCheck = {
  name: 'no downloads',
  check({ network }) {
    const attempts = network.attempts.filter(isDownloadAttempt);
    if (attempts.length === 0) return [];
    const targets = [
      ...new Set(
        attempts
          .map((a) => a.url ?? (a.port === null ? a.host : `${a.host}:${a.port}`))
          .filter((t) => t !== null),
      ),
    ];
    return [
      makeFinding(
        'NETWORK_DOWNLOAD_ATTEMPT',
        `The installer tried to reach ${targets.slice(0, 5).join(', ')}${targets.length > 5 ? ` and ${targets.length - 5} more` : ''}; builds have no access outside the instance.`,
        {
          attempts: attempts.map((a) => ({
            protocol: a.protocol,
            host: a.host,
            port: a.port,
            url: a.url,
            detail: a.detail,
          })),
        },
      ),
    ];
  },
};

/** Reachable: after the installer, the instance still answers over its interface. */
export const reachableCheck: InstallerCheck = {
  name: 'reachable network',
  check({ network }): Finding[] {
    const { before, after } = network;
    if (!before.reachable || after.reachable) return [];
    const reasons = after.problems;
    return [
      makeFinding('NETWORK_UNREACHABLE', `After the installation ${reasons.join(', ')}.`, {
        failed: reasons,
        before: { addresses: before.addresses, routes: before.routes, firewall: before.firewall },
        after: { addresses: after.addresses, routes: after.routes, firewall: after.firewall },
      }),
    ];
  },
};
