import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import type { BlobStore } from '../blobs/blob-store.js';
import type { BaseImageService } from '../base-images/base-image-service.js';
import { findOsVersion } from '../domain/catalog/os-catalog.js';
import type { Clock } from '../domain/clock.js';
import type { BuildPhase, Finding, Image, OsBuild, PhaseTiming } from '../domain/types.js';
import type { EventBus } from '../events/event-bus.js';
import { imageIdFromManifestDigest, writeImage } from '../image/oci-image-writer.js';
import { IMAGE_KIND_LABEL } from '../scanner/scan/image-scanner.js';
import { writeLayer } from '../image/oci-layer-writer.js';
import { findInstallerRunner } from '../installers/installer-registry.js';
import type { PreparedNetwork } from '../sandbox/network/sink-network-pool.js';
import type { SinkNetwork } from '../sandbox/network/sink-network.js';
import type { Sandbox, SandboxLimits, SandboxOutcome, SandboxSession } from '../sandbox/sandbox.js';
import { ANALYZERS } from '../scanner/inventory/analyzer-registry.js';
import { inventoryToCycloneDx } from '../scanner/sbom/cyclonedx-sbom.js';
import type { ImageScanner } from '../scanner/scan/image-scanner.js';
import type { ScanReport, UngatedScanReport } from '../scanner/scan/scan-report.js';
import type { BuildUpdate, Store } from '../store/store.js';
import { BuildLogWriter } from './build-log-writer.js';
import { checkInstallerRun } from './checks/installer-checks.js';
import { stagePackages, SANDBOX_PACKAGE_DIR } from './package-staging.js';
import { scanFindings } from './scan-findings.js';

export interface OsBuildRunnerDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly bases: BaseImageService;
  readonly sandbox: Sandbox;
  readonly events: EventBus;
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
 * Runs one OS build of a package group from start to end: base, sandbox,
 * install, commit, scan. The seller's failures end the build in IssuesFound
 * with findings; our own failures are thrown for the worker to retry or to
 * turn into Investigating.
 */
export class OsBuildRunner {
  constructor(private readonly deps: OsBuildRunnerDeps) {}

  /** Runs the build `buildId` as attempt `attempt`. */
  async run(buildId: string, attempt: number, signal: AbortSignal): Promise<void> {
    const { store, clock } = this.deps;
    const build = await store.builds.get(null, buildId);
    if (build === undefined) throw new Error(`build ${buildId} does not exist`);
    const group = await store.packageGroups.get(build.accountId, build.packageGroupId);
    if (group === undefined)
      throw new Error(`package group ${build.packageGroupId} of build ${buildId} does not exist`);
    const os = findOsVersion(build.osVersion);
    if (os === undefined)
      throw new Error(`OS version ${build.osVersion} is no longer in the catalog`);

    const log = new BuildLogWriter(build.id, store, this.deps.events, clock);
    const tracker = new PhaseTracker(clock);
    const update = (change: BuildUpdate) =>
      this.update(build, { ...change, phases: tracker.phases });
    await update({
      state: 'Building',
      attempts: attempt,
      startedAt: clock.now().toISOString(),
      finishedAt: null,
      findings: [],
      internalError: null,
    });
    log.system(`build ${build.id}: ${group.name} on ${os.id}, attempt ${attempt}`);

    let session: SandboxSession | undefined;
    let network: SinkNetwork | undefined;
    const staging = path.join(this.deps.stagingDir, build.id);
    try {
      tracker.start('base');
      await update({});
      const base = await this.deps.bases.ensure(os, (line) => log.system(line), signal);
      tracker.finish('base');
      await update({ baseImageId: base.image.id, baseDigest: base.base.rootDigest });
      log.system(`base image ${base.image.id} (${base.base.rootDigest})`);

      tracker.start('network');
      await update({});
      const prepared = await this.deps.acquireNetwork();
      network = prepared.network;
      const networkBefore = prepared.before;
      tracker.finish('network');

      tracker.start('sandbox');
      await update({});
      const staged = await stagePackages(this.deps.blobs, group.packages, staging);
      const runner = findInstallerRunner(group.platform, path.basename(staged.installerPath));
      if (runner === undefined) throw new Error(`no installer runner for ${staged.installerPath}`);
      const refused = await runner.inspect(staged.installerHostPath);
      if (refused !== undefined) {
        tracker.finish('sandbox');
        await this.finishWithIssues(update, log, [refused]);
        return;
      }
      session = await this.deps.sandbox.prepare({
        id: `${build.id}-${attempt}`,
        lowerDirs: [base.rootDir],
        hostname: 'localhost',
        diskLimitBytes: this.deps.diskLimitBytes,
        networkNamespacePath: network.namespacePath,
        fileOverlays: [{ source: network.resolvConfPath, destination: '/etc/resolv.conf' }],
      });
      tracker.finish('sandbox');

      tracker.start('install');
      await update({});
      const plan = runner.plan({
        installerPath: staged.installerPath,
        packagePaths: staged.packagePaths,
        os,
      });
      log.system(`running ${plan.argv.join(' ')}`);
      const outcome = await session.run({
        argv: plan.argv,
        env: plan.env,
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
        outputTail: await store.logs.tail(build.id, OUTPUT_TAIL_LINES),
        rootDir: session.rootDir,
        network: {
          attempts: network.attempts(),
          before: networkBefore,
          after: await network.snapshot(),
        },
      });
      tracker.finish('checks');
      if (findings.length > 0) {
        await this.finishWithIssues(update, log, findings);
        return;
      }

      tracker.start('commit');
      await update({});
      const layer = await writeLayer(session.upperDir, this.deps.blobs, { overlayWhiteouts: true });
      log.system(`installer layer ${layer.digest}, ${layer.size} bytes`);
      tracker.finish('commit');

      tracker.start('scan');
      await update({ state: 'Scanning' });
      const created = clock.now().toISOString();
      const written = await writeImage(
        {
          layers: [...base.image.layers, layer],
          created,
          history: [
            { created: base.image.createdAt, createdBy: `Goldsmith base image ${base.image.id}` },
            { created, createdBy: plan.argv.join(' '), comment: `package group ${group.name}` },
          ],
          labels: {
            'org.goldsmith.os-version': os.id,
            [IMAGE_KIND_LABEL]: 'test',
            'org.goldsmith.package-group': group.name,
            'org.goldsmith.build': build.id,
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
          baseRoot: base.rootDir,
          baseLayerDigests: base.image.layers.map((l) => l.digest),
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
        await update({ scanReportDigest: reportBlob.digest });
        await this.finishWithIssues(update, log, scanFindings(report));
        return;
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
        accountId: build.accountId,
        kind: 'test',
        osVersion: os.id,
        manifestDigest: written.manifestDigest,
        configDigest: written.configDigest,
        layers: [...base.image.layers, layer],
        parentImageId: base.image.id,
        sbomDigest: sbomBlob.digest,
        scanReportDigest: reportBlob.digest,
        createdAt: created,
      };
      if ((await store.images.get(null, image.id)) === undefined) await store.images.insert(image);
      tracker.finish('scan');
      log.system(`image ${image.id} ready`);
      await log.flush();
      await update({
        state: 'Successful',
        imageId: image.id,
        scanReportDigest: reportBlob.digest,
        finishedAt: clock.now().toISOString(),
      });
    } finally {
      await log.flush().catch(() => undefined);
      await session?.dispose();
      await network?.destroy();
      await rm(staging, { recursive: true, force: true });
    }
  }

  private async finishWithIssues(
    update: (change: BuildUpdate) => Promise<void>,
    log: BuildLogWriter,
    findings: readonly Finding[],
  ): Promise<void> {
    for (const finding of findings) log.system(`finding ${finding.code}: ${finding.message}`);
    await log.flush();
    await update({
      state: 'IssuesFound',
      findings,
      finishedAt: this.deps.clock.now().toISOString(),
    });
  }

  private async update(build: OsBuild, change: BuildUpdate): Promise<void> {
    const updated = await this.deps.store.builds.update(build.id, change);
    this.deps.events.publish({
      type: 'build.updated',
      accountId: updated.accountId,
      buildId: updated.id,
      packageGroupId: updated.packageGroupId,
      state: updated.state,
    });
  }
}

/** Start and end times of each phase of one attempt. */
class PhaseTracker {
  readonly phases: Partial<Record<BuildPhase, PhaseTiming>> = {};

  constructor(private readonly clock: Clock) {}

  start(phase: BuildPhase): void {
    this.phases[phase] = { startedAt: this.clock.now().toISOString(), finishedAt: null };
  }

  finish(phase: BuildPhase): void {
    const started = this.phases[phase]?.startedAt ?? this.clock.now().toISOString();
    this.phases[phase] = { startedAt: started, finishedAt: this.clock.now().toISOString() };
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
