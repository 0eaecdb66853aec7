import Alert from '@cloudscape-design/components/alert';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';

/** A console address no page answers, or a page the account's roles do not open. */
export function NotFoundPage({ reason }: { reason?: string }): JSX.Element {
  return (
    <ContentLayout header={<Header variant="h1">Page not found</Header>}>
      <Alert type="warning">
        {reason ?? 'No console page has this address.'} Choose a page in the navigation.
      </Alert>
    </ContentLayout>
  );
}
