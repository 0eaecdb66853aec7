import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { GOLDSMITH_VERSION } from '../../version.js';
import type { AdvisoryDatabaseState, ScanCacheRepository } from '../../store/store.js';
import { ANALYZERS } from '../inventory/analyzer-registry.js';
import { hidesLower, overlayUpperChanges, type LayerChanges } from '../layers/layer-changes.js';
import type { LayerOrigin } from '../layers/layer-origin.js';
import { runPolicyOverLower } from '../policy/layered-policy.js';
import type { PolicyCheck, PolicyContext } from '../policy/policy-check.js';
import { POLICY_CHECKS, runPolicyChecks, type PolicyRunResult } from '../policy/policy-registry.js';
import { advisorySnapshotOf } from './advisory-snapshot.js';
import { packageKey, packagesOf, scanLayer, type LayerScan } from './layer-scan.js';
import { layerChainIds, ScanCache } from './scan-cache.js';
import {
  SCAN_REPORT_VERSION,
  type AdvisorySnapshot,
  type ScanTarget,
  type UngatedScanReport,
} from './scan-report.js';
import type { ScanSource } from '../targets/scan-source.js';
import { sortVulnerabilities, type StoredAdvisorySource } from './vulnerability-scan.js';

/** What the scanner reads: the advisory database, and where it keeps results. */
export interface ImageScannerDeps {
  readonly advisories: StoredAdvisorySource & { state(): Promise<AdvisoryDatabaseState> };
  /** Without it nothing is cached. */
  readonly cache?: ScanCacheRepository | undefined;
  /** Defaults to POLICY_CHECKS. */
  readonly checks?: readonly PolicyCheck[];
  /** The time of the scan (end-of-life dates are compared with it); defaults to now. */
  readonly now?: () => Date;
}

/** What scanSource reads of a source: its layers or directory and its labels. */
export type LayeredScanSource = Omit<ScanSource, 'close'>;

/** Progress of a long scan, one line at a time (layer extraction, analysis, checks). */
export type ScanProgress = (message: string) => void;

/** A build's image: the base root, and the installer's overlay on it. */
export interface BuildScanInput {
  readonly target: ScanTarget;
  readonly baseRoot: string;
  /** The base image's layer digests, lowest first. */
  readonly baseLayerDigests: readonly string[];
  readonly mergedRoot: string;
  readonly upperDir: string;
  /** Digest of the installer's layer as committed. */
  readonly installerLayerDigest: string;
}

/** Label Goldsmith puts on its images: `base`, `test`, `gold` or `private`. */
export const IMAGE_KIND_LABEL = 'org.goldsmith.image-kind';

/**
 * Scans images: inventory, vulnerabilities and policy, layer by layer, reusing what the scan
 * cache holds for the same layers below, analyzers, checks and advisory snapshot. The result
 * is ungated: the caller applies the gate it is configured with.
 */
export class ImageScanner {
  readonly #cache: ScanCache;
  readonly #checks: readonly PolicyCheck[];
  readonly #now: () => Date;

  constructor(private readonly deps: ImageScannerDeps) {
    this.#cache = new ScanCache(deps.cache);
    this.#checks = deps.checks ?? POLICY_CHECKS;
    this.#now = deps.now ?? (() => new Date());
  }

  /** Scans a directory in place, or an image's layers extracted one by one under `workDir`. */
  async scanSource(
    source: LayeredScanSource,
    workDir: string,
    onProgress: ScanProgress = () => {},
  ): Promise<UngatedScanReport> {
    const now = this.#now();
    const snapshot = advisorySnapshotOf(await this.deps.advisories.state());
    if (source.layers.length === 0) {
      const root = source.directory;
      if (root === undefined) throw new Error(`scan source ${source.target.name} has no layers`);
      const scan = await scanLayer({
        root,
        index: 0,
        lower: undefined,
        changes: undefined,
        advisories: this.deps.advisories,
      });
      const policy = await runPolicyChecks(root, { now }, this.#checks);
      return assemble({
        target: source.target,
        scan,
        policy,
        origins: [],
        cached: [],
        snapshot,
        now,
      });
    }

    const digests = source.layers.map((layer) => layer.digest);
    const roles = layerRoles(source.labels, digests.length);
    const origins: LayerOrigin[] = digests.map((digest, index) => ({
      index,
      digest,
      role: roles[index] ?? null,
    }));
    const chain = layerChainIds(digests);
    const top = chain.length - 1;
    const layerKeys = chain.map((id) => ScanCache.layerKey(id, snapshot.id));
    const policyKeys = chain.map((id) => ScanCache.policyKey(id, this.#checks, now));

    const cachedTop = await this.#cache.getLayer(layerKeys[top]!);
    const cachedPolicy = await this.#cache.getPolicy(policyKeys[top]!);
    if (cachedTop !== undefined && cachedPolicy !== undefined) {
      return assemble({
        target: source.target,
        scan: cachedTop,
        policy: cachedPolicy,
        origins,
        cached: origins.map(() => true),
        snapshot,
        now,
      });
    }

    // The highest layer whose scan is cached: the layers up to it are extracted, not analyzed.
    let highest = -1;
    let lower: LayerScan | undefined;
    for (let i = top; i >= 0 && lower === undefined; i -= 1) {
      lower = await this.#cache.getLayer(layerKeys[i]!);
      if (lower !== undefined) highest = i;
    }
    const root = path.join(workDir, 'root');
    await mkdir(root, { recursive: true });
    const writer = new Map<string, number>();
    const cached: boolean[] = [];
    let changes: LayerChanges | undefined;
    for (const [index, layer] of source.layers.entries()) {
      onProgress(`layer ${index + 1}/${source.layers.length} ${layer.digest}: extracting`);
      changes = await layer.extractOnto(root);
      recordWriters(writer, changes, index);
      if (index <= highest) {
        cached.push(true);
        continue;
      }
      onProgress(`layer ${index + 1}/${source.layers.length}: inventory and matching`);
      lower = await scanLayer({
        root,
        index,
        lower,
        changes: index === 0 ? undefined : changes,
        advisories: this.deps.advisories,
      });
      cached.push(false);
      await this.#cache.putLayer(layerKeys[index]!, lower, now);
    }

    let policy = cachedPolicy;
    if (policy === undefined) {
      onProgress('policy checks');
      const context: PolicyContext = {
        now,
        layerOf: (relPath) => origins[writer.get(relPath) ?? -1],
      };
      const lowerPolicy = top > 0 ? await this.#cache.getPolicy(policyKeys[top - 1]!) : undefined;
      policy =
        lowerPolicy !== undefined && changes !== undefined
          ? await runPolicyOverLower(root, lowerPolicy, changes, context, this.#checks)
          : await runPolicyChecks(root, context, this.#checks);
      await this.#cache.putPolicy(policyKeys[top]!, policy, now);
    }
    return assemble({
      target: source.target,
      scan: lower!,
      policy,
      origins,
      cached,
      snapshot,
      now,
    });
  }

  /**
   * Scans a build's image: the base (from the cache after its first build) and the installer's
   * overlay, whose changed files alone are analyzed, matched and checked again. The result is
   * cached under the image's layer chain, so scanning the image later reads it back.
   */
  async scanBuild(input: BuildScanInput): Promise<UngatedScanReport> {
    const now = this.#now();
    const snapshot = advisorySnapshotOf(await this.deps.advisories.state());
    const digests = [...input.baseLayerDigests, input.installerLayerDigest];
    const chain = layerChainIds(digests);
    const baseIndex = input.baseLayerDigests.length - 1;
    const top = baseIndex + 1;
    const origins: LayerOrigin[] = digests.map((digest, index) => ({
      index,
      digest,
      role: index === top ? 'installer' : 'base',
    }));
    const cached = origins.map(() => false);

    const baseKey = ScanCache.layerKey(chain[baseIndex]!, snapshot.id);
    let base = await this.#cache.getLayer(baseKey);
    if (base === undefined) {
      base = await scanLayer({
        root: input.baseRoot,
        index: baseIndex,
        lower: undefined,
        changes: undefined,
        advisories: this.deps.advisories,
      });
      await this.#cache.putLayer(baseKey, base, now);
    } else {
      for (let i = 0; i <= baseIndex; i += 1) cached[i] = true;
    }
    const basePolicyKey = ScanCache.policyKey(chain[baseIndex]!, this.#checks, now);
    let basePolicy = await this.#cache.getPolicy(basePolicyKey);
    if (basePolicy === undefined) {
      basePolicy = await runPolicyChecks(
        input.baseRoot,
        { now, layerOf: () => origins[baseIndex] },
        this.#checks,
      );
      await this.#cache.putPolicy(basePolicyKey, basePolicy, now);
    }

    const changes = await overlayUpperChanges(input.upperDir);
    const changed = new Set(changes.paths.map((p) => p.relPath));
    const scan = await scanLayer({
      root: input.mergedRoot,
      index: top,
      lower: base,
      changes,
      advisories: this.deps.advisories,
    });
    const policy = await runPolicyOverLower(
      input.mergedRoot,
      basePolicy,
      changes,
      {
        now,
        layerOf: (relPath) => (changed.has(relPath) ? origins[top] : origins[baseIndex]),
      },
      this.#checks,
    );
    await this.#cache.putLayer(ScanCache.layerKey(chain[top]!, snapshot.id), scan, now);
    await this.#cache.putPolicy(ScanCache.policyKey(chain[top]!, this.#checks, now), policy, now);
    return assemble({ target: input.target, scan, policy, origins, cached, snapshot, now });
  }
}

/** Which layers of an image are the base's and which the installer's, from Goldsmith's labels. */
function layerRoles(
  labels: Readonly<Record<string, string>>,
  count: number,
): ('base' | 'installer' | null)[] {
  const kind = labels[IMAGE_KIND_LABEL];
  return Array.from({ length: count }, (_, index) => {
    if (kind === 'base' || kind === 'gold') return 'base';
    if (kind === 'test' || kind === 'private') return index === count - 1 ? 'installer' : 'base';
    return null;
  });
}

/** Notes which layer last wrote each path; deleted and hidden paths are forgotten. */
function recordWriters(writer: Map<string, number>, changes: LayerChanges, index: number): void {
  if (changes.deleted.length > 0 || changes.opaqueDirs.length > 0) {
    for (const relPath of [...writer.keys()]) {
      if (hidesLower(changes, relPath)) writer.delete(relPath);
    }
  }
  for (const p of changes.paths) writer.set(p.relPath, index);
}

/** The report of a scan: packages, vulnerabilities and violations with the layers that brought them. */
function assemble(input: {
  readonly target: ScanTarget;
  readonly scan: LayerScan;
  readonly policy: PolicyRunResult;
  /** Empty for a directory: then nothing names a layer. */
  readonly origins: readonly LayerOrigin[];
  readonly cached: readonly boolean[];
  readonly snapshot: AdvisorySnapshot;
  readonly now: Date;
}): UngatedScanReport {
  const { scan, origins } = input;
  const layerOf = (index: number | undefined) => (index === undefined ? undefined : origins[index]);
  const packages = packagesOf(scan).map((pkg) => {
    const layer = layerOf(scan.origins[packageKey(pkg)]);
    return layer === undefined ? pkg : { ...pkg, layer };
  });
  const vulnerabilities = sortVulnerabilities(
    Object.entries(scan.vulnerabilities).flatMap(([key, list]) => {
      const layer = layerOf(scan.origins[key]);
      return list.map((v) => (layer === undefined ? v : { ...v, layer }));
    }),
  );
  const violations = input.policy.violations.map((violation) => {
    const { layer: recorded, ...rest } = violation;
    const layer = layerOf(recorded?.index);
    return layer === undefined ? rest : { ...rest, layer };
  });
  const inventoryWarnings = Object.values(scan.analyzers).flatMap((f) =>
    f.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`),
  );
  const databaseWarnings =
    input.snapshot.records === 0
      ? [
          'the advisory database is empty, so no vulnerability can be found: import advisories with `goldsmith vulndb import` or `goldsmith vulndb update`',
        ]
      : [];
  return {
    reportVersion: SCAN_REPORT_VERSION,
    scanner: { name: 'goldsmith', version: GOLDSMITH_VERSION },
    createdAt: input.now.toISOString(),
    target: input.target,
    os: scan.os,
    layers: origins.map((origin, index) => ({ origin, cached: input.cached[index] ?? false })),
    analyzers: ANALYZERS.map((a) => ({ type: a.type, version: a.version })),
    packages,
    vulnerabilities,
    policy: { violations, ran: input.policy.ran, notRun: input.policy.notRun },
    advisoryDatabase: input.snapshot,
    warnings: [...databaseWarnings, ...inventoryWarnings, ...scan.warnings],
  };
}
