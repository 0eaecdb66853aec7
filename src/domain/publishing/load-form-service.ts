import { parseLoadForm } from '../../publishing/load-form/load-form-reader.js';
import { renderLoadForm } from '../../publishing/load-form/load-form-writer.js';
import { OS_VERSIONS } from '../catalog/os-catalog.js';
import type { Clock } from '../clock.js';
import type { PackageGroupService } from '../package-groups/package-group-service.js';
import type { LoadFormSubmission } from './publishing-types.js';
import { loadFormInvalid, type SubmissionService } from './submission-service.js';

/** An uploaded workbook, not yet parsed. */
export interface UploadedWorkbook {
  readonly fileName: string;
  readonly data: Buffer;
}

/** The load form as a workbook: the blank form to download, and parsing uploads. */
export class LoadFormService {
  constructor(
    private readonly submissions: SubmissionService,
    private readonly packageGroups: PackageGroupService,
    private readonly clock: Clock,
  ) {}

  /** The form to fill in, offering the seller's Successful package groups and the OS catalog. */
  async template(sellerAccountId: string): Promise<Buffer> {
    const groups = await this.packageGroups.list(sellerAccountId);
    return renderLoadForm({
      packageGroupNames: groups.filter((g) => g.state === 'Successful').map((g) => g.name),
      osVersions: OS_VERSIONS.map((os) => os.id),
      generatedAt: this.clock.now(),
    });
  }

  /** Parses the workbook (LOAD_FORM_INVALID with every cell's problem) and submits it. */
  async submit(
    sellerAccountId: string,
    upload: UploadedWorkbook & { readonly description: string },
  ): Promise<LoadFormSubmission> {
    const entries = await this.parse(upload.data);
    return this.submissions.submit(sellerAccountId, { ...upload, entries });
  }

  /** Parses a corrected workbook and replaces the submission's one with it. */
  async correct(
    sellerAccountId: string,
    id: string,
    upload: UploadedWorkbook,
  ): Promise<LoadFormSubmission> {
    // Found first, so another account's id is a 404 rather than a list of cell problems.
    await this.submissions.get(sellerAccountId, id);
    const entries = await this.parse(upload.data);
    return this.submissions.correct(sellerAccountId, id, { ...upload, entries });
  }

  private async parse(data: Buffer) {
    const parsed = await parseLoadForm(data);
    if (!parsed.ok) throw loadFormInvalid(parsed.problems);
    return parsed.entries;
  }
}
