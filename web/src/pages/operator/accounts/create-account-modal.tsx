import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';

import { toApiError } from '../../../api/api-error.js';
import { ROLES, type Role } from '../../../api/api-types.js';
import { createAccount, type CreatedAccount } from '../../../api/operator-api.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { useSession } from '../../../session/session-context.js';

/** The server's rule for account names (src/domain/accounts/account-service.ts). */
const ACCOUNT_NAME = /^[\p{L}\p{N} ._@-]{1,100}$/u;

const ROLE_LABELS: Record<Role, string> = {
  seller: 'Seller',
  buyer: 'Buyer',
  operator: 'Operator',
};

/** Asks for a new account's name and roles and creates it with a first token. */
export function CreateAccountModal({
  visible,
  onDismiss,
  onCreated,
}: {
  visible: boolean;
  onDismiss: () => void;
  onCreated: (created: CreatedAccount, name: string) => void;
}): JSX.Element {
  const { client } = useSession();
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['seller']);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string>();

  const nameError =
    name.trim() === ''
      ? 'Enter a name.'
      : !ACCOUNT_NAME.test(name)
        ? 'Use 1-100 letters, digits, spaces or . _ @ -'
        : undefined;
  const rolesError = roles.length === 0 ? 'Choose at least one role.' : undefined;

  const submit = async () => {
    setTouched(true);
    if (nameError !== undefined || rolesError !== undefined) return;
    setBusy(true);
    setServerError(undefined);
    try {
      const created = await createAccount(client, name, roles);
      onCreated(created, name);
      setName('');
      setRoles(['seller']);
      setTouched(false);
    } catch (error) {
      const failure = toApiError(error);
      setServerError(`${failure.message} (${failure.code})`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmModal
      visible={visible}
      header="Create account"
      confirmLabel="Create account"
      busy={busy}
      onConfirm={() => void submit()}
      onDismiss={onDismiss}
    >
      <SpaceBetween size="m">
        <FormField
          label="Account name"
          constraintText="1-100 letters, digits, spaces or . _ @ -"
          errorText={touched ? (nameError ?? serverError) : serverError}
        >
          <Input
            value={name}
            ariaLabel="Account name"
            onChange={(e) => {
              setName(e.detail.value);
              setTouched(true);
              setServerError(undefined);
            }}
          />
        </FormField>
        <FormField
          label="Roles"
          description="What the account may do; an account may hold several."
          errorText={touched ? rolesError : undefined}
        >
          <SpaceBetween direction="horizontal" size="m">
            {ROLES.map((role) => (
              <Checkbox
                key={role}
                checked={roles.includes(role)}
                onChange={(e) => {
                  setTouched(true);
                  setRoles((all) =>
                    e.detail.checked ? [...all, role] : all.filter((r) => r !== role),
                  );
                }}
              >
                {ROLE_LABELS[role]}
              </Checkbox>
            ))}
          </SpaceBetween>
        </FormField>
      </SpaceBetween>
    </ConfirmModal>
  );
}
