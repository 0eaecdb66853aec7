import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState, type FormEvent } from 'react';

import { toApiError, type ApiError } from '../../api/api-error.js';
import { ApiErrorAlert } from '../../components/api-error-alert.js';
import { useSession } from '../../session/session-context.js';

/** Signs in by pasting an API token; the token stays on the server, the browser gets a cookie. */
export function SignInPage(): JSX.Element {
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError>();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (token.trim() === '') return;
    setSubmitting(true);
    setError(undefined);
    try {
      await signIn(token.trim());
    } catch (failure) {
      setError(toApiError(failure));
      setSubmitting(false);
    }
  };

  return (
    <Box padding={{ vertical: 'xxxl', horizontal: 'l' }}>
      <div style={{ maxWidth: 560, margin: '0 auto' }}>
        <ContentLayout header={<Header variant="h1">Sign in to Goldsmith</Header>}>
          <SpaceBetween size="l">
            {error !== undefined && <ApiErrorAlert header="Sign-in failed" error={error} />}
            <form onSubmit={(event) => void submit(event)}>
              <Form
                actions={
                  <Button variant="primary" formAction="submit" loading={submitting}>
                    Sign in
                  </Button>
                }
              >
                <Container>
                  <FormField
                    label="API token"
                    description={
                      <>
                        Paste an API token of your account. Operators issue tokens with{' '}
                        <code>goldsmith account token</code>.
                      </>
                    }
                    constraintText="The token is sent to the server once; this browser keeps only a session cookie."
                  >
                    <Input
                      type="password"
                      value={token}
                      onChange={(event) => setToken(event.detail.value)}
                      autoComplete={false}
                      autoFocus
                      ariaRequired
                    />
                  </FormField>
                </Container>
              </Form>
            </form>
          </SpaceBetween>
        </ContentLayout>
      </div>
    </Box>
  );
}
