import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import type { ReactNode } from 'react';

import type { LoadFormSubmission } from '../api/publishing-api.js';
import { ApiErrorAlert } from './api-error-alert.js';
import type { ApiQuery } from './use-api-query.js';

/** The API's limit on a message about a submission (MessageBody). */
export const MAX_SUBMISSION_MESSAGE = 4000;

/** Why a message about a submission cannot be sent (`emptyText` when required and blank), or undefined. */
export function submissionMessageError(
  text: string,
  required: boolean,
  emptyText: string,
): string | undefined {
  if (required && text.trim() === '') return emptyText;
  if (text.length > MAX_SUBMISSION_MESSAGE) {
    return `At most ${MAX_SUBMISSION_MESSAGE} characters (now ${text.length}).`;
  }
  return undefined;
}

/** The parts of a submission page that differ between seller and operator. */
export interface SubmissionDetailLayoutProps {
  readonly id: string;
  /** The list the breadcrumbs lead back to: its name and console path. */
  readonly listText: string;
  readonly listPath: string;
  readonly onBack: () => void;
  readonly submission: ApiQuery<LoadFormSubmission>;
  /** The page's buttons, after Refresh. */
  readonly actions: ReactNode;
  /** The page's content once the submission has loaded. */
  readonly children: (data: LoadFormSubmission) => ReactNode;
  /** Dialogs the page opens. */
  readonly dialogs?: ReactNode;
}

/**
 * One submission's page, seller's or operator's: breadcrumbs back to the list,
 * a header with Refresh and the page's actions, and the load's error or spinner.
 */
export function SubmissionDetailLayout(props: SubmissionDetailLayoutProps): JSX.Element {
  const { submission } = props;
  const data = submission.data;
  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          ariaLabel="Breadcrumbs"
          items={[
            { text: props.listText, href: props.listPath },
            { text: data?.description ?? props.id, href: '#' },
          ]}
          onFollow={(event) => {
            event.preventDefault();
            if (event.detail.href !== '#') props.onBack();
          }}
        />
      }
      header={
        <Header
          variant="h1"
          description={data === undefined ? undefined : `Submission ${data.id}`}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button
                iconName="refresh"
                ariaLabel="Refresh submission"
                onClick={submission.reload}
              />
              {props.actions}
            </SpaceBetween>
          }
        >
          {data?.description ?? 'Submission'}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {submission.error !== undefined && (
          <ApiErrorAlert
            header="Could not load the submission"
            error={submission.error}
            onRetry={submission.reload}
          />
        )}
        {data === undefined && submission.loading && <Spinner size="large" />}
        {data !== undefined && props.children(data)}
      </SpaceBetween>
      {props.dialogs}
    </ContentLayout>
  );
}
