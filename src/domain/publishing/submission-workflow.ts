import { DomainError } from '../../errors/domain-error.js';
import type { Store, SubmissionUpdate } from '../../store/store.js';
import type { LoadFormSubmission, SubmissionMessage, SubmissionState } from './publishing-types.js';

/** A review action: who may take it, from which states, and where it leads. */
export interface SubmissionAction {
  readonly name: string;
  readonly from: readonly SubmissionState[];
  readonly to: SubmissionState;
}

/*
 * The review's state machine. A seller's answer goes back to UnderReview (not Submitted):
 * the operator who asked keeps the submission, and the target date is not restarted.
 */
export const ACTIONS = {
  start: { name: 'start a review of', from: ['Submitted'], to: 'UnderReview' },
  clarify: { name: 'ask about', from: ['UnderReview'], to: 'NeedsClarification' },
  answer: { name: 'answer', from: ['NeedsClarification'], to: 'UnderReview' },
  publish: { name: 'publish', from: ['UnderReview'], to: 'Published' },
  reject: {
    name: 'reject',
    from: ['Submitted', 'UnderReview', 'NeedsClarification'],
    to: 'Rejected',
  },
} as const satisfies Record<string, SubmissionAction>;

/** Throws SUBMISSION_STATE_CONFLICT unless `action` is allowed from the submission's state. */
export function assertAllowed(submission: LoadFormSubmission, action: SubmissionAction): void {
  if (!action.from.includes(submission.state)) {
    throw new DomainError(
      'SUBMISSION_STATE_CONFLICT',
      `cannot ${action.name} submission ${submission.id}: it is ${submission.state}, and this needs ${action.from.join(' or ')}`,
    );
  }
}

/**
 * Moves a submission to `to`, appending `message` to its conversation, unless someone else
 * changed it since it was read (then SUBMISSION_STATE_CONFLICT). Returns the new submission.
 */
export async function recordTransition(
  store: Store,
  submission: LoadFormSubmission,
  to: SubmissionState,
  message: SubmissionMessage,
  change: Omit<SubmissionUpdate, 'state' | 'updatedAt' | 'conversation'> = {},
): Promise<LoadFormSubmission> {
  // Strictly later than the last update, so the optimistic check below always sees a change.
  const updatedAt =
    message.at > submission.updatedAt
      ? message.at
      : new Date(Date.parse(submission.updatedAt) + 1).toISOString();
  const update: SubmissionUpdate = {
    ...change,
    state: to,
    updatedAt,
    conversation: [...submission.conversation, { ...message, at: updatedAt }],
  };
  const applied = await store.submissions.update(
    submission.id,
    { state: submission.state, updatedAt: submission.updatedAt },
    update,
  );
  if (!applied) {
    throw new DomainError(
      'SUBMISSION_STATE_CONFLICT',
      `submission ${submission.id} changed while this action ran; look at it again`,
    );
  }
  return { ...submission, ...update };
}
