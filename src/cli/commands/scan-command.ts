import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Command } from 'commander';

import { FsBlobStore } from '../../blobs/fs-blob-store.js';
import { applyGate } from '../../scanner/gate/apply-gate.js';
import { loadGatePolicy, loadVexFiles } from '../../scanner/gate/gate-config.js';
import { filterReport } from '../../scanner/reports/report-filter.js';
import { findReportFormat, REPORT_FORMATS } from '../../scanner/reports/report-formats.js';
import { ImageScanner } from '../../scanner/scan/image-scanner.js';
import { SEVERITY_ORDER, type ScanReport } from '../../scanner/scan/scan-report.js';
import type { Severity } from '../../scanner/severity/severity.js';
import { openScanSource } from '../../scanner/targets/scan-source.js';
import { note } from '../output.js';
import { withStore, withStoreOptions, type StoreOptions } from '../store-options.js';

interface ScanOptions extends StoreOptions {
  format: string;
  severity?: string;
  ignoreUnfixed?: boolean;
  exitCode: string;
  gate?: string;
  vex: string[];
  output?: string;
  cache: boolean;
  progress: boolean;
}

/**
 * `goldsmith scan PATH`: scans a directory, a root filesystem tar, an OCI layout or archive, a
 * `docker save` archive or a Goldsmith image id, with no server running, against the advisory
 * database of the data directory.
 */
export function scanCommand(program: Command): void {
  withStoreOptions(
    program
      .command('scan')
      .description(
        'scan an image for vulnerabilities and policy violations (works without a running server)',
      )
      .argument(
        '<target>',
        'a directory, a root filesystem tar (plain, gzip, xz, zstd), an OCI layout or archive, a docker save archive, or an image id',
      )
      .option('--format <format>', Object.keys(REPORT_FORMATS).join('|'), 'table')
      .option(
        '--severity <list>',
        `only these severities, comma-separated (${SEVERITY_ORDER.join(', ')})`,
      )
      .option('--ignore-unfixed', 'leave out vulnerabilities that have no fixed version')
      .option(
        '--exit-code <n>',
        'exit with n when the report (after --severity and --ignore-unfixed) lists a finding that no VEX statement or allow-list entry covers',
        '0',
      )
      .option('--gate <file>', 'gate configuration (default: the installation’s scan-gate.json)')
      .option(
        '--vex <file>',
        'OpenVEX or CycloneDX VEX document (repeatable)',
        (value: string, list: string[]) => [...list, value],
        [],
      )
      .option('--output <file>', 'write the report to a file instead of standard output')
      .option('--no-cache', 'neither read nor write the scan cache')
      .option('--no-progress', 'no progress lines on standard error'),
  ).action(async (target: string, opts: ScanOptions) => {
    const format = findReportFormat(opts.format);
    if (format === undefined) {
      throw new Error(
        `unknown format ${opts.format}: use one of ${Object.keys(REPORT_FORMATS).join(', ')}`,
      );
    }
    const severities = parseSeverities(opts.severity);
    const exitCode = Number(opts.exitCode);
    if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
      throw new Error(`--exit-code must be a whole number from 0 to 255, got ${opts.exitCode}`);
    }
    const progress = opts.progress ? note : () => {};

    await withStore(opts, async (store, config) => {
      const policy = await loadGatePolicy(opts.gate ?? config.scanGateFile);
      const vex = await loadVexFiles(opts.vex);
      const tempDir = path.join(tmpdir(), 'goldsmith-scan');
      await mkdir(tempDir, { recursive: true });
      const source = await openScanSource(target, {
        tempDir,
        images: { store, blobs: new FsBlobStore(config.blobDir) },
      });
      let report: ScanReport;
      try {
        const scanner = new ImageScanner({
          advisories: store.advisories,
          cache: opts.cache ? store.scanCache : undefined,
        });
        const workDir = await mkdtemp(path.join(tempDir, 'root-'));
        try {
          const ungated = await scanner.scanSource(source, workDir, progress);
          const gated = applyGate(ungated, { ...policy, vex: [...policy.vex, ...vex] }, new Date());
          report = gated.report;
        } finally {
          await rm(workDir, { recursive: true, force: true });
        }
      } finally {
        await source.close();
      }

      const shown = filterReport(report, {
        ...(severities === undefined ? {} : { severities }),
        ignoreUnfixed: opts.ignoreUnfixed ?? false,
      });
      const text = format.render(shown);
      if (opts.output === undefined) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      else {
        await writeFile(opts.output, text);
        note(`report written to ${opts.output}`);
      }
      if (exitCode !== 0 && hasUncoveredFindings(shown)) process.exitCode = exitCode;
    });
  });
}

/** Findings that no VEX statement or allow-list entry covers. */
function hasUncoveredFindings(report: ScanReport): boolean {
  const covered = (gate: ScanReport['vulnerabilities'][number]['gate']) =>
    !gate.blocking && (gate.reason === 'allow-listed' || gate.reason === 'not-affected');
  return (
    report.vulnerabilities.some((v) => !covered(v.gate)) ||
    report.policy.violations.some((v) => !covered(v.gate))
  );
}

function parseSeverities(list: string | undefined): Severity[] | undefined {
  if (list === undefined) return undefined;
  return list.split(',').map((item) => {
    const severity = item.trim().toLowerCase() as Severity;
    if (!SEVERITY_ORDER.includes(severity)) {
      throw new Error(`unknown severity ${item.trim()}: use ${SEVERITY_ORDER.join(', ')}`);
    }
    return severity;
  });
}
