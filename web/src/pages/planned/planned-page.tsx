import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';

/** Stands in for a page of the navigation that is not built yet. */
export function PlannedPage({ title }: { title: string }): JSX.Element {
  return (
    <ContentLayout header={<Header variant="h1">{title}</Header>}>
      <Container>
        <Box>This page is not in the console yet; the API and the CLI already offer it.</Box>
      </Container>
    </ContentLayout>
  );
}
