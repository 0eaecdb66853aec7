import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import TagEditor, { type TagEditorProps } from '@cloudscape-design/components/tag-editor';
import Textarea from '@cloudscape-design/components/textarea';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';

import type { ApiClient } from '../../../api/api-client.js';
import { toApiError, type ApiError } from '../../../api/api-error.js';
import { subscribedOptions } from '../../../api/buyer-catalog-api.js';
import {
  DESTINATION_NAME_RULE,
  MAX_DESTINATION_DESCRIPTION,
  listPrivateImages,
  listSourceImages,
  startPrivateBuild,
} from '../../../api/buyer-images-api.js';
import { consoleHref } from '../../../app/console-paths.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { BuyerLink } from '../buyer-link.js';

type Owner = 'owned' | 'public';
type Field = 'option' | 'source' | 'name' | 'description' | 'webhook';

// Which field an API error belongs to (docs/errors.md); others show above the form.
const FIELD_OF_CODE: Record<string, Field> = {
  INVALID_FULFILLMENT_OPTION_ID: 'option',
  SUBSCRIPTION_NOT_FOUND: 'option',
  INVALID_SOURCE_IMAGE_ID: 'source',
  INSTALLER_MISMATCH: 'source',
  IMAGE_NOT_FOUND: 'source',
  INVALID_DESTINATION_IMAGE_NAME: 'name',
  INVALID_DESTINATION_IMAGE_DESCRIPTION: 'description',
  INVALID_WEBHOOK_URL: 'webhook',
};

const NAME_RULE_TEXT = "3-128 characters: letters, digits, spaces and ( ) [ ] . / - ' @ _";

const TAG_STRINGS: TagEditorProps.I18nStrings = {
  keyPlaceholder: 'Enter key',
  valuePlaceholder: 'Enter value',
  addButton: 'Add new tag',
  removeButton: 'Remove',
  undoButton: 'Undo',
  undoPrompt: 'This tag will be removed upon saving changes',
  loading: 'Loading tags',
  keyHeader: 'Key',
  valueHeader: 'Value',
  optional: 'optional',
  keySuggestion: 'Custom tag key',
  valueSuggestion: 'Custom tag value',
  emptyTags: 'No tags associated with the image.',
  tooManyKeysSuggestion: 'You have more keys than can be displayed',
  tooManyValuesSuggestion: 'You have more values than can be displayed',
  keysSuggestionLoading: 'Loading tag keys',
  keysSuggestionError: 'Tag keys could not be retrieved',
  valuesSuggestionLoading: 'Loading tag values',
  valuesSuggestionError: 'Tag values could not be retrieved',
  emptyKeyError: 'You must specify a tag key',
  maxKeyCharLengthError: 'The maximum number of characters you can use in a tag key is 128.',
  maxValueCharLengthError: 'The maximum number of characters you can use in a tag value is 256.',
  duplicateKeyError: 'You must specify a unique tag key.',
  invalidKeyError: 'Invalid key.',
  invalidValueError: 'Invalid value.',
  awsPrefixError: 'Cannot start with aws:',
  clearAriaLabel: 'Clear',
  tagLimit: (available, limit) =>
    available === limit
      ? `You can add up to ${limit} tags.`
      : `You can add up to ${available} more tags.`,
  tagLimitReached: (limit) => `You have reached the limit of ${limit} tags.`,
  tagLimitExceeded: (limit) => `You have exceeded the limit of ${limit} tags.`,
  enteredKeyLabel: (key) => `Use "${key}"`,
  enteredValueLabel: (value) => `Use "${value}"`,
  removeButtonAriaLabel: (tag) => `Remove tag ${tag.key}`,
};

async function loadChoices(client: ApiClient) {
  const [options, sources, privateImages] = await Promise.all([
    subscribedOptions(client),
    listSourceImages(client),
    listPrivateImages(client),
  ]);
  return { options, sources, privateImages };
}

/** The destination name's problem as you type, with the API's rule; undefined when fine. */
function nameError(name: string): string | undefined {
  if (name === '') return undefined;
  if (!DESTINATION_NAME_RULE.test(name)) return `The name must be ${NAME_RULE_TEXT}.`;
  return undefined;
}

/** "Create new private image": installs a subscribed product's option onto an image. */
export function CreatePrivateImageForm({ optionId }: { optionId: string | null }): JSX.Element {
  const { client } = useSession();
  const navigate = useNavigate();
  const choices = useApiQuery(loadChoices);
  const [chosenOption, setChosenOption] = useState<string | null>(optionId);
  const [owner, setOwner] = useState<Owner>('owned');
  const [sourceId, setSourceId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState<readonly TagEditorProps.Tag[]>([]);
  const [tagsValid, setTagsValid] = useState(true);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiError>();
  // One token per form, so a double click or a retry after a lost reply starts one build.
  const [clientToken] = useState(() => crypto.randomUUID());

  const optionItems: SelectProps.Option[] = useMemo(
    () =>
      (choices.data?.options ?? []).map(({ product, version, option }) => ({
        value: option.id,
        label: `${product.title} ${version.version}`,
        description: `${option.id} · ${option.osVersions.join(', ')}`,
      })),
    [choices.data],
  );
  const sourceItems: SelectProps.Option[] = useMemo(() => {
    const data = choices.data;
    if (data === undefined) return [];
    if (owner === 'public') {
      return data.sources
        .filter((image) => image.owner === 'shared')
        .map((image) => ({
          value: image.id,
          label: image.name,
          description: `${image.id} · ${image.osVersion} base image`,
        }));
    }
    return [
      ...data.sources
        .filter((image) => image.owner === 'self')
        .map((image) => ({
          value: image.id,
          label: image.name,
          description: `${image.id} · ${image.osVersion} gold image`,
        })),
      ...data.privateImages.map((image) => ({
        value: image.id,
        label: image.id,
        description: `${image.osVersion} private image`,
      })),
    ];
  }, [choices.data, owner]);

  const fieldError = (field: Field): string | undefined =>
    failure !== undefined && FIELD_OF_CODE[failure.code] === field
      ? `${failure.message} (${failure.code})`
      : undefined;
  const typedNameError = nameError(name);
  const descriptionLength = [...description].length;
  const errors: Record<Field, string | undefined> = {
    option:
      submitted && chosenOption === null ? 'Choose a fulfillment option.' : fieldError('option'),
    source: submitted && sourceId === null ? 'Choose a source image.' : fieldError('source'),
    name:
      typedNameError ??
      (submitted && name === '' ? `Enter a name: ${NAME_RULE_TEXT}.` : fieldError('name')),
    description:
      descriptionLength > MAX_DESTINATION_DESCRIPTION
        ? `The description is longer than ${MAX_DESTINATION_DESCRIPTION} characters.`
        : fieldError('description'),
    webhook: fieldError('webhook'),
  };

  const submit = (): void => {
    setSubmitted(true);
    setFailure(undefined);
    if (
      chosenOption === null ||
      sourceId === null ||
      name === '' ||
      typedNameError !== undefined ||
      errors.description !== undefined ||
      !tagsValid
    ) {
      return;
    }
    setSubmitting(true);
    const liveTags = tags.filter((tag) => tag.markedForRemoval !== true);
    startPrivateBuild(client, {
      fulfillmentOptionIds: [chosenOption],
      sourceImageId: sourceId,
      destinationImageName: name,
      ...(description === '' ? {} : { destinationImageDescription: description }),
      ...(liveTags.length === 0
        ? {}
        : { tags: Object.fromEntries(liveTags.map((tag) => [tag.key, tag.value])) }),
      ...(webhookUrl.trim() === '' ? {} : { webhookUrl: webhookUrl.trim() }),
      clientToken,
    }).then(
      () => navigate('/buyer/private-builds'),
      (error: unknown) => {
        setSubmitting(false);
        setFailure(toApiError(error));
      },
    );
  };

  const unplacedFailure =
    failure !== undefined && FIELD_OF_CODE[failure.code] === undefined ? failure : undefined;

  const sourceField = (
    <FormField
      label="Source image"
      description={
        owner === 'owned'
          ? 'Your gold images and private images.'
          : 'Base images the operator maintains.'
      }
      errorText={errors.source}
    >
      <Select
        selectedOption={sourceItems.find((o) => o.value === sourceId) ?? null}
        options={sourceItems}
        placeholder="Choose an image"
        filteringType="auto"
        statusType={choices.loading && choices.data === undefined ? 'loading' : 'finished'}
        loadingText="Loading images"
        empty={owner === 'owned' ? 'No images of yours yet' : 'No public images'}
        onChange={(event) => setSourceId(event.detail.selectedOption.value ?? null)}
      />
    </FormField>
  );

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Goldsmith installs a product you subscribe to onto an image you choose, and keeps the result as a private image only you can use."
        >
          Create new private image
        </Header>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Form
          errorText={
            unplacedFailure === undefined
              ? undefined
              : `${unplacedFailure.message} (${unplacedFailure.code})`
          }
          errorIconAriaLabel="Error"
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={() => navigate(-1)}>
                Cancel
              </Button>
              <Button variant="primary" loading={submitting} disabled={choices.data === undefined}>
                Create private image
              </Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="l">
            {choices.error !== undefined && (
              <ApiErrorAlert
                header="Could not load your subscriptions and images"
                error={choices.error}
                onRetry={choices.reload}
              />
            )}
            {choices.data !== undefined && choices.data.options.length === 0 && (
              <Alert type="info" header="No subscriptions yet">
                Subscribe to a product first:{' '}
                <BuyerLink href={consoleHref('buyer/products')}>Products search</BuyerLink>.
              </Alert>
            )}
            <Container header={<Header variant="h2">Product</Header>}>
              <FormField
                label="Fulfillment option"
                description="An option of a product you subscribe to."
                errorText={errors.option}
              >
                <Select
                  selectedOption={optionItems.find((o) => o.value === chosenOption) ?? null}
                  options={optionItems}
                  placeholder="Choose a fulfillment option"
                  statusType={
                    choices.loading && choices.data === undefined ? 'loading' : 'finished'
                  }
                  loadingText="Loading subscriptions"
                  empty="No subscribed products"
                  onChange={(event) => setChosenOption(event.detail.selectedOption.value ?? null)}
                />
              </FormField>
            </Container>
            <Container header={<Header variant="h2">Source image</Header>}>
              <Tabs
                ariaLabel="Image owner"
                activeTabId={owner}
                onChange={(event) => {
                  setOwner(event.detail.activeTabId as Owner);
                  setSourceId(null);
                }}
                tabs={[
                  { id: 'owned', label: 'Owned by me', content: sourceField },
                  { id: 'public', label: 'Public', content: sourceField },
                ]}
              />
            </Container>
            <Container header={<Header variant="h2">Destination image</Header>}>
              <SpaceBetween size="l">
                <FormField
                  label="Destination image name"
                  constraintText={NAME_RULE_TEXT}
                  errorText={errors.name}
                >
                  <Input
                    value={name}
                    onChange={(event) => {
                      setName(event.detail.value);
                      if (failure !== undefined && FIELD_OF_CODE[failure.code] === 'name') {
                        setFailure(undefined);
                      }
                    }}
                  />
                </FormField>
                <FormField
                  label={
                    <>
                      Description <i>- optional</i>
                    </>
                  }
                  constraintText={`${descriptionLength}/${MAX_DESTINATION_DESCRIPTION} characters`}
                  errorText={errors.description}
                >
                  <Textarea
                    value={description}
                    ariaLabel="Description"
                    onChange={(event) => setDescription(event.detail.value)}
                  />
                </FormField>
                <FormField
                  label={
                    <>
                      Webhook URL <i>- optional</i>
                    </>
                  }
                  description="Goldsmith posts the build’s status changes here."
                  errorText={errors.webhook}
                >
                  <Input
                    type="url"
                    value={webhookUrl}
                    ariaLabel="Webhook URL"
                    placeholder="https://example.com/hooks/goldsmith"
                    onChange={(event) => setWebhookUrl(event.detail.value)}
                  />
                </FormField>
              </SpaceBetween>
            </Container>
            <Container header={<Header variant="h2">Tags</Header>}>
              <TagEditor
                tags={tags}
                i18nStrings={TAG_STRINGS}
                tagLimit={50}
                onChange={(event) => {
                  setTags(event.detail.tags);
                  setTagsValid(event.detail.valid);
                }}
              />
            </Container>
            <Box />
          </SpaceBetween>
        </Form>
      </form>
    </ContentLayout>
  );
}
