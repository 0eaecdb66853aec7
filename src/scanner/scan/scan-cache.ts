import { createHash } from 'node:crypto';

import { ANALYZERS } from '../inventory/analyzer-registry.js';
import type { PolicyCheck } from '../policy/policy-check.js';
import type { PolicyRunResult } from '../policy/policy-registry.js';
import type { ScanCacheRepository } from '../../store/store.js';
import type { LayerScan } from './layer-scan.js';

/** Bumped when what the cache holds changes shape or meaning. */
const CACHE_FORMAT = 1;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Names each prefix of an image's layers: the first layer's digest, then a hash of the name
 * below and the next digest (like OCI chain ids), so a layer's results are reused only over
 * the same layers below.
 */
export function layerChainIds(digests: readonly string[]): string[] {
  const chain: string[] = [];
  for (const digest of digests) {
    const below = chain.at(-1);
    chain.push(below === undefined ? digest : `sha256:${sha256(`${below} ${digest}`)}`);
  }
  return chain;
}

/**
 * Scan results per layer chain: a layer's inventory and matches under the analyzers' versions
 * and the advisory snapshot; its policy results under the checks' versions and the day (the
 * end-of-life check's verdict depends on the date).
 */
export class ScanCache {
  constructor(private readonly repo: ScanCacheRepository | undefined) {}

  /** The key of a layer's inventory and matches. */
  static layerKey(chainId: string, snapshotId: string): string {
    const analyzers = ANALYZERS.map((a) => `${a.type}@${a.version}`).join(',');
    return `layer:${sha256(`${CACHE_FORMAT} ${chainId} ${analyzers} ${snapshotId}`)}`;
  }

  /** The key of a layer's policy results. */
  static policyKey(chainId: string, checks: readonly PolicyCheck[], now: Date): string {
    const versions = checks.map((c) => `${c.id}@${c.version}`).join(',');
    const day = now.toISOString().slice(0, 10);
    return `policy:${sha256(`${CACHE_FORMAT} ${chainId} ${versions} ${day}`)}`;
  }

  async getLayer(key: string): Promise<LayerScan | undefined> {
    return this.read<LayerScan>(key);
  }

  async putLayer(key: string, scan: LayerScan, at: Date): Promise<void> {
    await this.repo?.put(key, JSON.stringify(scan), at.toISOString());
  }

  async getPolicy(key: string): Promise<PolicyRunResult | undefined> {
    return this.read<PolicyRunResult>(key);
  }

  async putPolicy(key: string, result: PolicyRunResult, at: Date): Promise<void> {
    await this.repo?.put(key, JSON.stringify(result), at.toISOString());
  }

  private async read<T>(key: string): Promise<T | undefined> {
    const text = await this.repo?.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
}
