import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';

import type { ApiError } from '../api/api-error.js';

export interface ApiErrorAlertProps {
  /** What failed, from the user's side: "Could not load package groups". */
  readonly header: string;
  readonly error: ApiError;
  readonly onRetry?: () => void;
}

/** An API failure shown where it happened, with the API's stable code (docs/errors.md). */
export function ApiErrorAlert({ header, error, onRetry }: ApiErrorAlertProps): JSX.Element {
  return (
    <Alert
      type="error"
      header={header}
      action={onRetry === undefined ? undefined : <Button onClick={onRetry}>Retry</Button>}
    >
      {error.message} <code>{error.code}</code>
    </Alert>
  );
}
