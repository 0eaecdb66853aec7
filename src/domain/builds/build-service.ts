import type { BlobStore } from '../../blobs/blob-store.js';
import { DomainError } from '../../errors/domain-error.js';
import type { ScanReport } from '../../scanner/scan/scan-report.js';
import type { Store } from '../../store/store.js';
import type { Account, LogLine, OsBuild } from '../types.js';
import { isFinalState } from '../package-groups/group-state.js';
import { readScanReport } from '../scans/scan-report-store.js';
import type { BuildPresenter, BuildView } from './build-view.js';

export interface LogPage {
  readonly lines: LogLine[];
  /** Pass as `after` to read on. */
  readonly nextSeq: number;
  /** True once the build has finished and every line has been read. */
  readonly complete: boolean;
}

/** Reading builds and their installer output, scoped to the asking account. */
export class BuildService {
  constructor(
    private readonly store: Store,
    private readonly presenter: BuildPresenter,
    private readonly blobs: BlobStore,
  ) {}

  /** One build; operators see every build and its internal error, others only their own without it. */
  async get(viewer: Account, buildId: string): Promise<BuildView> {
    return this.presenter.present(await this.find(viewer, buildId), viewer);
  }

  /** A build as `viewer` may see it. */
  present(build: OsBuild, viewer: Account): BuildView {
    return this.presenter.present(build, viewer);
  }

  /** Installer output after line `after`, at most `limit` lines. */
  async logs(viewer: Account, buildId: string, after: number, limit: number): Promise<LogPage> {
    const build = await this.find(viewer, buildId);
    const lines = await this.store.logs.read(build.id, after, limit);
    const nextSeq = lines.at(-1)?.seq ?? after;
    return { lines, nextSeq, complete: isFinalState(build.state) && lines.length < limit };
  }

  /** The gated scan report of the build's Scanning stage, also when the gate stopped the build. */
  async scanReport(viewer: Account, buildId: string): Promise<ScanReport> {
    const build = await this.find(viewer, buildId);
    if (build.scanReportDigest === null) {
      throw new DomainError(
        'SCAN_REPORT_NOT_FOUND',
        `build ${build.id} has no scan report: it is ${build.state} and has not reached its Scanning stage`,
      );
    }
    return readScanReport(this.blobs, build.scanReportDigest);
  }

  private async find(viewer: Account, buildId: string): Promise<OsBuild> {
    const operator = viewer.roles.includes('operator');
    const build = await this.store.builds.get(operator ? null : viewer.id, buildId);
    if (build === undefined) throw new DomainError('BUILD_NOT_FOUND', `build ${buildId} not found`);
    return build;
  }
}
