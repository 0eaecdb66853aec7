import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import type { Account, LogLine, OsBuild } from '../types.js';
import { isFinalState } from '../package-groups/group-state.js';
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

  private async find(viewer: Account, buildId: string): Promise<OsBuild> {
    const operator = viewer.roles.includes('operator');
    const build = await this.store.builds.get(operator ? null : viewer.id, buildId);
    if (build === undefined) throw new DomainError('BUILD_NOT_FOUND', `build ${buildId} not found`);
    return build;
  }
}
