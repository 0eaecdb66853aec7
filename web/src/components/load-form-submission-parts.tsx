import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, {
  type StatusIndicatorProps,
} from '@cloudscape-design/components/status-indicator';
import type { TableProps } from '@cloudscape-design/components/table';

import type {
  LoadFormSubmission,
  SubmissionMessage,
  SubmissionState,
} from '../api/publishing-api.js';

// Submitted and UnderReview wait on operators, NeedsClarification on the seller.
const STATES: Record<SubmissionState, { type: StatusIndicatorProps.Type; label: string }> = {
  Submitted: { type: 'pending', label: 'Submitted' },
  UnderReview: { type: 'in-progress', label: 'Under review' },
  NeedsClarification: { type: 'warning', label: 'Needs clarification' },
  Published: { type: 'success', label: 'Published' },
  Rejected: { type: 'error', label: 'Rejected' },
};

/** A submission state's readable label. */
export function submissionStateLabel(state: SubmissionState): string {
  return STATES[state].label;
}

/** A load form submission's state as a StatusIndicator. */
export function SubmissionStateIndicator({ state }: { state: SubmissionState }): JSX.Element {
  return <StatusIndicator type={STATES[state].type}>{STATES[state].label}</StatusIndicator>;
}

/** A submission's row in a list, with a readable state for sorting and the text filter. */
export interface SubmissionRow extends LoadFormSubmission {
  readonly stateLabel: string;
}

/** The product titles a submission's workbook names, each once. */
export function submissionProducts(submission: LoadFormSubmission): string {
  return [...new Set(submission.entries.map((e) => e.productTitle))].join(', ');
}

/**
 * The columns both submission lists show: the description linking to the
 * detail, the state, then `middle`, then the target and submission dates.
 */
export function submissionColumns<T extends SubmissionRow>(
  href: (id: string) => string,
  open: (id: string) => void,
  middle: readonly TableProps.ColumnDefinition<T>[],
): TableProps.ColumnDefinition<T>[] {
  return [
    {
      id: 'description',
      header: 'Description',
      cell: (s) => (
        <Link
          href={href(s.id)}
          onFollow={(event) => {
            event.preventDefault();
            open(s.id);
          }}
        >
          {s.description}
        </Link>
      ),
      sortingField: 'description',
      isRowHeader: true,
    },
    {
      id: 'state',
      header: 'State',
      cell: (s) => <SubmissionStateIndicator state={s.state} />,
      sortingField: 'stateLabel',
    },
    ...middle,
    {
      id: 'targetDate',
      header: 'Target date',
      cell: (s) => s.targetDate,
      sortingField: 'targetDate',
    },
    {
      id: 'submittedAt',
      header: 'Submitted',
      cell: (s) => new Date(s.submittedAt).toLocaleString(),
      sortingField: 'submittedAt',
    },
  ];
}

const KINDS: Record<SubmissionMessage['kind'], string> = {
  question: 'Question',
  answer: 'Answer',
  'corrected-form': 'Corrected form',
  note: 'Note',
  published: 'Published',
  rejected: 'Rejected',
};

/** A submission's facts: file, state, dates. */
export function SubmissionSummary({ submission }: { submission: LoadFormSubmission }): JSX.Element {
  return (
    <Container header={<Header variant="h2">Submission</Header>}>
      <KeyValuePairs
        columns={3}
        items={[
          { label: 'Description', value: submission.description },
          { label: 'State', value: <SubmissionStateIndicator state={submission.state} /> },
          { label: 'Target date', value: submission.targetDate },
          { label: 'File', value: submission.fileName },
          { label: 'Submitted', value: new Date(submission.submittedAt).toLocaleString() },
          { label: 'Seller account', value: submission.accountId },
        ]}
      />
    </Container>
  );
}

/** The messages between the seller and the operators, oldest first. */
export function SubmissionConversation({
  messages,
}: {
  messages: readonly SubmissionMessage[];
}): JSX.Element {
  return (
    <Container header={<Header variant="h2">Conversation</Header>}>
      {messages.length === 0 ? (
        <Box color="text-status-inactive">No messages yet.</Box>
      ) : (
        <ul aria-label="Conversation" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          <SpaceBetween size="m">
            {messages.map((message, index) => (
              <li key={`${message.at}-${index}`}>
                <Box variant="small">
                  {message.author === 'seller' ? 'Seller' : 'Operator'} · {KINDS[message.kind]} ·{' '}
                  {new Date(message.at).toLocaleString()}
                </Box>
                <Box>
                  <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {message.text}
                  </span>
                </Box>
              </li>
            ))}
          </SpaceBetween>
        </ul>
      )}
    </Container>
  );
}

/** The products the workbook describes, one expandable section per row. */
export function SubmissionEntries({ submission }: { submission: LoadFormSubmission }): JSX.Element {
  return (
    <Container
      header={
        <Header variant="h2" counter={`(${submission.entries.length})`}>
          Load form content
        </Header>
      }
    >
      <SpaceBetween size="s">
        {submission.entries.map((entry) => (
          <ExpandableSection
            key={entry.row}
            headerText={`Row ${entry.row}: ${entry.productTitle} ${entry.softwareVersion}`}
            defaultExpanded={submission.entries.length === 1}
          >
            <KeyValuePairs
              columns={3}
              items={[
                { label: 'Product title', value: entry.productTitle },
                { label: 'Software version', value: entry.softwareVersion },
                { label: 'Package group', value: entry.packageGroupName },
                { label: 'Fulfillment action', value: entry.fulfillmentAction },
                { label: 'Visibility', value: entry.visibility },
                { label: 'Test accounts', value: entry.testAccountIds.join(', ') || '-' },
                { label: 'Short description', value: entry.shortDescription },
                { label: 'Long description', value: entry.longDescription },
                { label: 'Highlights', value: entry.highlights.join('; ') },
                { label: 'Categories', value: entry.categories.join(', ') },
                { label: 'Search keywords', value: entry.searchKeywords.join(', ') },
                { label: 'Vendor', value: entry.vendorName },
                { label: 'Support contact', value: entry.supportContact },
                { label: 'EULA', value: entry.eulaUrl },
                { label: 'Release notes', value: entry.releaseNotes },
                { label: 'Usage instructions', value: entry.usageInstructions },
              ]}
            />
          </ExpandableSection>
        ))}
      </SpaceBetween>
    </Container>
  );
}
