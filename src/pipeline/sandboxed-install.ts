import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import type { BlobStore } from '../blobs/blob-store.js';
import type { OsVersion } from '../domain/catalog/os-catalog.js';
import type { Clock } from '../domain/clock.js';
import type {
  BuildPhase,
  Finding,
  GroupPackage,
  Image,
  PhaseTiming,
  Platform,
} from '../domain/types.js';
import { imageIdFromManifestDigest, writeImage } from '../image/oci-image-writer.js';
import { writeLayer } from '../image/oci-layer-writer.js';
import { findInstallerRunner } from '../installers/installer-registry.js';
import type { PreparedNetwork } from '../sandbox/network/sink-network-pool.js';
import type { SinkNetwork } from '../sandbox/network/sink-network.js';
import type { Sandbox, SandboxLimits, SandboxOutcome, SandboxSession } from '../sandbox/sandbox.js';
import { ANALYZERS } from '../scanner/inventory/analyzer-registry.js';
import { inventoryToCycloneDx } from '../scanner/sbom/cyclonedx-sbom.js';
import { IMAGE_KIND_LABEL, type ImageScanner } from '../scanner/scan/image-scanner.js';
import type { ScanReport, UngatedScanReport } from '../scanner/scan/scan-report.js';
import type { LogRepository, Store } from '../store/store.js';
import type { BuildLogWriter } from './build-log-writer.js';
import { checkInstallerRun } from './checks/installer-checks.js';
import { stagePackages, SANDBOX_PACKAGE_DIR } from './package-staging.js';
import { scanFindings } from './scan-findings.js';

/** The root a build installs onto: its image (whose layers the result keeps) and its files on this host. */
export interface SourceRoot {
  readonly image: Image;
  readonly rootDir: string;
  /** How the image history names the source, e.g. `Goldsmith base image img-…`. */
  readonly description: string;
}

/**
 * What differs between a seller's OS build and a buyer's private image build:
 * the source root, the packages, the labels, the kind and the owner of the
 * resulting image. Everything else (sandbox, checks, commit, scan) is shared.
 */
export interface InstallPlan {
  /** Names the run in the sandbox, the staging directory and the logs. */
  readonly runId: string;
  readonly os: OsVersion;
  readonly platform: Platform;
  /** The package group installed: its name (for history and the scan) and its files. */
  readonly group: { readonly name: string; readonly packages: readonly GroupPackage[] };
  /** Resolves the source root; called once the `base` phase starts. */
  readonly source: (progress: (line: string) => void, signal: AbortSignal) => Promise<SourceRoot>;
  readonly imageKind: 'test' | 'private';
  readonly ownerAccountId: string;
  /** Labels of the image config, besides the OS version and kind Goldsmith always sets. */
  readonly labels: Readonly<Record<string, string>>;
}

/** How one run ended when it ended on the seller's or buyer's side, or with an image. */
export type InstallResult =
  | {
      readonly kind: 'issues';
      readonly findings: readonly Finding[];
      readonly scanReportDigest: string | null;
    }
  | { readonly kind: 'image'; readonly image: Image; readonly scanReportDigest: string };

/** What a run reports while it goes, so the caller records progress in its own record. */
export interface InstallHooks {
  readonly log: BuildLogWriter;
  readonly tracker: PhaseTracker;
  /** Persists progress; `source` once resolved, `scanning` when the scan starts. */
  readonly progress: (change: {
    readonly source?: SourceRoot;
    readonly scanning?: boolean;
  }) => Promise<void>;
  /** The log lines of this run, for the installer checks' evidence. */
  readonly logs: LogRepository;
}

export interface SandboxedInstallDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly sandbox: Sandbox;
  readonly clock: Clock;
  readonly limits: SandboxLimits;
  readonly diskLimitBytes: number;
  readonly inputWaitMs: number;
  readonly stagingDir: string;
  /** A fresh sink network for one build: DNS and connections go to a recorder, nothing leaves. */
  readonly acquireNetwork: () => Promise<PreparedNetwork>;
  readonly scanner: ImageScanner;
  /** Decides which findings of a scan block the build (the installation's gate). */
  readonly gate: (report: UngatedScanReport) => Promise<ScanReport>;
}

/** How many of the last output lines a finding carries as evidence. */
const OUTPUT_TAIL_LINES = 40;

/**
 * Installs one package group onto a source root in the sandbox, checks the
 * installer rules, commits the layer, writes and scans the image. The
 * installer's failures come back as findings; our own failures are thrown.
 */
export class SandboxedInstall {
  constructor(private readonly deps: SandboxedInstallDeps) {}

  /** Runs `plan` as attempt `attempt`. */
  async run(
    plan: InstallPlan,
    attempt: number,
    hooks: InstallHooks,
    signal: AbortSignal,
  ): Promise<InstallResult> {
    const { clock } = this.deps;
    const { log, tracker, progress } = hooks;
    const { os, group } = plan;
    let session: SandboxSession | undefined;
    let network: SinkNetwork | undefined;
    const staging = path.join(this.deps.stagingDir, plan.runId);
    try {
      tracker.start('base');
      await progress({});
      const source = await plan.source((line) => log.system(line), signal);
      tracker.finish('base');
      await progress({ source });
      log.system(`source image ${source.image.id} (${source.image.manifestDigest})`);

      tracker.start('network');
      await progress({});
      const prepared = await this.deps.acquireNetwork();
      network = prepared.network;
      const networkBefore = prepared.before;
      tracker.finish('network');

      tracker.start('sandbox');
      await progress({});
      const staged = await stagePackages(this.deps.blobs, group.packages, staging);
      const runner = findInstallerRunner(plan.platform, path.basename(staged.installerPath));
      if (runner === undefined) throw new Error(`no installer runner for ${staged.installerPath}`);
      const refused = await runner.inspect(staged.installerHostPath);
      if (refused !== undefined) {
        tracker.finish('sandbox');
        return issues(log, [refused], null);
      }
      session = await this.deps.sandbox.prepare({
        id: `${plan.runId}-${attempt}`,
        lowerDirs: [source.rootDir],
        hostname: 'localhost',
        diskLimitBytes: this.deps.diskLimitBytes,
        networkNamespacePath: network.namespacePath,
        fileOverlays: [{ source: network.resolvConfPath, destination: '/etc/resolv.conf' }],
      });
      tracker.finish('sandbox');

      tracker.start('install');
      await progress({});
      const invocation = runner.plan({
        installerPath: staged.installerPath,
        packagePaths: staged.packagePaths,
        os,
      });
      log.system(`running ${invocation.argv.join(' ')}`);
      const outcome = await session.run({
        argv: invocation.argv,
        env: invocation.env,
        cwd: SANDBOX_PACKAGE_DIR,
        mounts: [{ source: staged.hostDir, destination: SANDBOX_PACKAGE_DIR, readOnly: true }],
        limits: this.deps.limits,
        inputWaitMs: this.deps.inputWaitMs,
        onLine: (stream, text) => log.write(stream, text),
        signal,
      });
      signal.throwIfAborted();
      tracker.finish('install');
      tracker.start('checks');
      log.system(
        `installer ended after ${(outcome.durationMs / 1000).toFixed(1)} s: ${describeOutcome(outcome)}`,
      );
      await log.flush();
      const findings = await checkInstallerRun({
        installerFile: path.basename(staged.installerPath),
        outcome,
        limits: { ...this.deps.limits, diskBytes: this.deps.diskLimitBytes },
        outputTail: await hooks.logs.tail(plan.runId, OUTPUT_TAIL_LINES),
        rootDir: session.rootDir,
        network: {
          attempts: network.attempts(),
          before: networkBefore,
          after: await network.snapshot(),
        },
      });
      tracker.finish('checks');
      if (findings.length > 0) return issues(log, findings, null);

      tracker.start('commit');
      await progress({});
      const layer = await writeLayer(session.upperDir, this.deps.blobs, { overlayWhiteouts: true });
      log.system(`installer layer ${layer.digest}, ${layer.size} bytes`);
      tracker.finish('commit');

      tracker.start('scan');
      await progress({ scanning: true });
      const created = clock.now().toISOString();
      const layers = [...source.image.layers, layer];
      const written = await writeImage(
        {
          layers,
          created,
          history: [
            { created: source.image.createdAt, createdBy: source.description },
            {
              created,
              createdBy: invocation.argv.join(' '),
              comment: `package group ${group.name}`,
            },
          ],
          labels: {
            'org.goldsmith.os-version': os.id,
            [IMAGE_KIND_LABEL]: plan.imageKind,
            ...plan.labels,
          },
          architecture: 'amd64',
          os: 'linux',
        },
        this.deps.blobs,
      );
      const imageId = imageIdFromManifestDigest(written.manifestDigest);
      const report = await this.deps.gate(
        await this.deps.scanner.scanBuild({
          target: {
            kind: 'build',
            name: `${group.name} on ${os.id}`,
            imageId,
            manifestDigest: written.manifestDigest,
          },
          baseRoot: source.rootDir,
          baseLayerDigests: source.image.layers.map((l) => l.digest),
          mergedRoot: session.rootDir,
          upperDir: session.upperDir,
          installerLayerDigest: layer.digest,
        }),
      );
      const reportBlob = await this.deps.blobs.put(
        Readable.from([Buffer.from(JSON.stringify(report))]),
      );
      log.system(describeScan(report));
      for (const notRun of report.policy.notRun) {
        log.system(`policy check ${notRun.checkId} not run: ${notRun.reason}`);
      }
      if (!report.gate.passed) {
        tracker.finish('scan');
        return issues(log, scanFindings(report), reportBlob.digest);
      }
      const sbom = inventoryToCycloneDx(
        {
          os: report.os,
          packages: report.packages,
          warnings: [],
          analyzers: ANALYZERS.map((a) => ({ type: a.type, version: a.version })),
        },
        { imageName: group.name, imageVersion: os.id, timestamp: created },
      );
      const sbomBlob = await this.deps.blobs.put(
        Readable.from([Buffer.from(JSON.stringify(sbom))]),
      );
      const image: Image = {
        id: imageId,
        accountId: plan.ownerAccountId,
        kind: plan.imageKind,
        osVersion: os.id,
        manifestDigest: written.manifestDigest,
        configDigest: written.configDigest,
        layers,
        parentImageId: source.image.id,
        sbomDigest: sbomBlob.digest,
        scanReportDigest: reportBlob.digest,
        createdAt: created,
      };
      const { store } = this.deps;
      if ((await store.images.get(null, image.id)) === undefined) await store.images.insert(image);
      tracker.finish('scan');
      log.system(`image ${image.id} ready`);
      await log.flush();
      return { kind: 'image', image, scanReportDigest: reportBlob.digest };
    } finally {
      await log.flush().catch(() => undefined);
      await session?.dispose();
      await network?.destroy();
      await rm(staging, { recursive: true, force: true });
    }
  }
}

async function issues(
  log: BuildLogWriter,
  findings: readonly Finding[],
  scanReportDigest: string | null,
): Promise<InstallResult> {
  for (const finding of findings) log.system(`finding ${finding.code}: ${finding.message}`);
  await log.flush();
  return { kind: 'issues', findings, scanReportDigest };
}

/** Told that `phase` of a build attempt ran from `startedAt` to `finishedAt`. */
export type PhaseObserver = (phase: BuildPhase, startedAt: string, finishedAt: string) => void;

/** Start and end times of each phase of one attempt. */
export class PhaseTracker {
  readonly phases: Partial<Record<BuildPhase, PhaseTiming>> = {};

  constructor(
    private readonly clock: Clock,
    /** Told of each finished phase, e.g. to record its duration as a metric. */
    private readonly onFinish?: PhaseObserver,
  ) {}

  /** Records that `phase` started now. */
  start(phase: BuildPhase): void {
    this.phases[phase] = { startedAt: this.clock.now().toISOString(), finishedAt: null };
  }

  /** Records that `phase` finished now. */
  finish(phase: BuildPhase): void {
    const started = this.phases[phase]?.startedAt ?? this.clock.now().toISOString();
    const finishedAt = this.clock.now().toISOString();
    this.phases[phase] = { startedAt: started, finishedAt };
    this.onFinish?.(phase, started, finishedAt);
  }
}

function describeScan(report: ScanReport): string {
  const blocking = report.gate.blockingVulnerabilities + report.gate.blockingPolicyViolations;
  return (
    `scan: ${report.packages.length} packages, ${report.vulnerabilities.length} vulnerabilities, ` +
    `${report.policy.violations.length} policy violations; gate ${report.gate.passed ? 'passed' : `failed (${blocking} blocking)`}`
  );
}

function describeOutcome(outcome: SandboxOutcome): string {
  if (outcome.reboot !== null) return `reboot attempt (${outcome.reboot.via})`;
  if (outcome.inputWait !== null) return `waiting for input (${outcome.inputWait.command})`;
  if (outcome.timedOut) return 'time limit';
  return outcome.exitCode !== null
    ? `exit status ${outcome.exitCode}`
    : `signal ${outcome.signal ?? 'unknown'}`;
}
