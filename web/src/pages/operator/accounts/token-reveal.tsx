import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import SpaceBetween from '@cloudscape-design/components/space-between';

/** A new API token, shown this once with a copy button: the server keeps only its hash. */
export function TokenReveal({
  header,
  token,
  onDismiss,
}: {
  header: string;
  token: string;
  onDismiss: () => void;
}): JSX.Element {
  return (
    <Alert type="success" header={header} dismissible onDismiss={onDismiss}>
      <SpaceBetween size="xs">
        <Box>Copy the token now: it is not shown again. Give it to the account's owner.</Box>
        <div role="group" aria-label="New API token">
          <CopyToClipboard
            variant="inline"
            textToCopy={token}
            copyButtonAriaLabel="Copy token"
            copySuccessText="Token copied"
            copyErrorText="Could not copy the token"
          />
        </div>
      </SpaceBetween>
    </Alert>
  );
}
