import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ReactNode } from 'react';

/** What a ConfirmModal asks and does. */
export interface ConfirmModalProps {
  readonly visible: boolean;
  readonly header: ReactNode;
  /** The primary button's label: "Delete". */
  readonly confirmLabel: ReactNode;
  readonly onConfirm: () => void;
  /** Called by Cancel, the close button and Escape. */
  readonly onDismiss: () => void;
  /** The action is in flight: the primary button spins. */
  readonly busy: boolean;
  readonly confirmDisabled?: boolean;
  /** While busy, Cancel is disabled and the dialog cannot be dismissed (an upload in progress). */
  readonly lockWhileBusy?: boolean;
  readonly closeAriaLabel?: string;
  readonly children: ReactNode;
}

/** A dialog asking to confirm an action, with Cancel and a primary button that spins while it runs. */
export function ConfirmModal(props: ConfirmModalProps): JSX.Element {
  const locked = props.lockWhileBusy === true && props.busy;
  return (
    <Modal
      visible={props.visible}
      header={props.header}
      {...(props.closeAriaLabel === undefined ? {} : { closeAriaLabel: props.closeAriaLabel })}
      onDismiss={() => {
        if (!locked) props.onDismiss();
      }}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" disabled={locked} onClick={props.onDismiss}>
              Cancel
            </Button>
            <Button
              variant="primary"
              loading={props.busy}
              {...(props.confirmDisabled === undefined ? {} : { disabled: props.confirmDisabled })}
              onClick={props.onConfirm}
            >
              {props.confirmLabel}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      {props.children}
    </Modal>
  );
}
