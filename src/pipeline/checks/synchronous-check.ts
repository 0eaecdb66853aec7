import { makeFinding } from '../../domain/findings/finding-catalogue.js';
import { analyzeDpkg } from '../../scanner/inventory/dpkg-analyzer.js';
import { endedBySandbox, type InstallerCheck } from './installer-check.js';

/** dpkg states that mean an installation or configuration was left unfinished. */
const UNFINISHED = new Set([
  'half-installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
]);

/** Synchronous: nothing the installer started still runs, and no package is left half done. */
export const synchronousCheck: InstallerCheck = {
  name: 'synchronous',
  async check({ outcome, rootDir }) {
    if (endedBySandbox(outcome)) return [];
    const inventory = await analyzeDpkg(rootDir);
    const unfinishedPackages = inventory.packages
      .filter((p) => UNFINISHED.has(p.status.state) || p.status.flag === 'reinstreq')
      .map((p) => ({
        package: p.name,
        version: p.version,
        state: p.status.state,
        flag: p.status.flag,
      }));
    // A shell that could not fork any more exits without waiting: its children are the process
    // limit's finding, not a second one.
    const leftovers = outcome.limitsHit.processes ? [] : outcome.leftoverProcesses;
    const leftoverProcesses = leftovers.map((p) => ({ pid: p.pid, command: p.command }));
    if (leftoverProcesses.length === 0 && unfinishedPackages.length === 0) return [];
    const parts = [
      leftoverProcesses.length > 0
        ? `${leftoverProcesses.length} process(es) it started were still running`
        : '',
      unfinishedPackages.length > 0
        ? `${unfinishedPackages.map((p) => `${p.package} (${p.state})`).join(', ')} ${unfinishedPackages.length === 1 ? 'was' : 'were'} not completely installed`
        : '',
    ].filter((p) => p !== '');
    return [
      makeFinding(
        'INSTALLER_NOT_SYNCHRONOUS',
        `When the installer exited, ${parts.join(' and ')}.`,
        {
          leftoverProcesses,
          unfinishedPackages,
        },
      ),
    ];
  },
};
