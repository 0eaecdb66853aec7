import { addBusinessDays, type Holidays } from '../calendar/business-days.js';
import type { Account, OsBuild } from '../types.js';

/** After this many business days in Investigating, a seller may contact the operators (the seed). */
export const CONTACT_AFTER_BUSINESS_DAYS = 4;

/** A build as one viewer sees it. */
export interface BuildView extends OsBuild {
  /** Set while the build is Investigating. */
  readonly investigation: {
    readonly since: string;
    /** From then on the seller may open a support case. */
    readonly contactAvailableAt: string;
  } | null;
}

/** How builds are shown: the internal error is for operators; sellers see Investigating and dates. */
export class BuildPresenter {
  constructor(private readonly holidays: Holidays) {}

  /** The build as `viewer` may see it. */
  present(build: OsBuild, viewer: Account): BuildView {
    const visible = viewer.roles.includes('operator') ? build : { ...build, internalError: null };
    return { ...visible, investigation: this.investigation(build) };
  }

  /** When a build went to Investigating and when its seller may contact the operators. */
  investigation(build: OsBuild): BuildView['investigation'] {
    if (build.state !== 'Investigating') return null;
    const since = build.finishedAt ?? build.submittedAt;
    const contact = addBusinessDays(new Date(since), CONTACT_AFTER_BUSINESS_DAYS, this.holidays);
    return { since, contactAvailableAt: contact.toISOString() };
  }
}
