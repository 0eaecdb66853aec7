import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FileUpload from '@cloudscape-design/components/file-upload';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Multiselect from '@cloudscape-design/components/multiselect';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';

import { toApiError } from '../../../api/api-error.js';
import {
  createPackageGroup,
  getPackageGroup,
  listOsVersions,
  listPackageGroupDetails,
  listUploadedPackages,
  uploadPackage,
  type UploadedPackage,
} from '../../../api/seller-build-api.js';
import { ApiErrorAlert } from '../../../components/api-error-alert.js';
import { useApiQuery } from '../../../components/use-api-query.js';
import { useSession } from '../../../session/session-context.js';
import { useNotifications } from '../../../shell/notifications.js';
import { groupNameProblem, nextRevisionName } from './package-group-name.js';

type Platform = 'linux' | 'windows';
type Field = 'name' | 'packages' | 'installer' | 'platform' | 'osVersions';

/** Which form field each validation code of `POST /v1/package-groups` concerns (docs/errors.md). */
const FIELD_OF_CODE: Readonly<Record<string, Field>> = {
  INVALID_PACKAGE_GROUP_NAME: 'name',
  PACKAGE_GROUP_NAME_USED: 'name',
  PACKAGE_NOT_FOUND: 'packages',
  DUPLICATE_PACKAGE: 'packages',
  INSTALLER_NOT_EXACTLY_ONE: 'installer',
  INSTALLER_EXTENSION_NOT_ALLOWED: 'installer',
  PLATFORM_NOT_AVAILABLE: 'platform',
  OS_VERSION_REQUIRED: 'osVersions',
  OS_VERSION_NOT_OFFERED: 'osVersions',
  INSTALLER_INCOMPATIBLE_WITH_OS: 'osVersions',
};

interface UploadProgress {
  readonly key: string;
  readonly fileName: string;
  readonly percent: number;
  readonly error?: string;
  readonly done: boolean;
}

const loadFormData = async (client: Parameters<typeof listUploadedPackages>[0]) => {
  const [packages, osVersions, groups] = await Promise.all([
    listUploadedPackages(client),
    listOsVersions(client),
    listPackageGroupDetails(client),
  ]);
  return { packages, osVersions, usedNames: new Set(groups.map((g) => g.name)) };
};

/** Start package: name a package group, choose or upload its packages, installer and OSes. */
export function StartPackageForm({ revisionOf }: { revisionOf?: string }): JSX.Element {
  const { client } = useSession();
  const navigate = useNavigate();
  const { notifyError } = useNotifications();
  const data = useApiQuery(loadFormData);
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [platform, setPlatform] = useState<Platform>('linux');
  const [chosenIds, setChosenIds] = useState<string[]>([]);
  const [installerId, setInstallerId] = useState<string>();
  const [osVersions, setOsVersions] = useState<string[]>([]);
  const [uploaded, setUploaded] = useState<UploadedPackage[]>([]);
  const [uploads, setUploads] = useState<UploadProgress[]>([]);
  const [apiErrors, setApiErrors] = useState<Partial<Record<Field, string>>>({});
  const [submitting, setSubmitting] = useState(false);
  const [revisionError, setRevisionError] = useState<unknown>();

  const usedNames = useMemo(() => data.data?.usedNames ?? new Set<string>(), [data.data]);
  const packages = useMemo(() => {
    const known = new Map<string, UploadedPackage>();
    for (const p of [...(data.data?.packages ?? []), ...uploaded]) known.set(p.id, p);
    return [...known.values()];
  }, [data.data, uploaded]);

  // A revision copies the group once its names are known, under the next unused name.
  useEffect(() => {
    if (revisionOf === undefined || data.data === undefined) return;
    let current = true;
    getPackageGroup(client, revisionOf).then(
      (group) => {
        if (!current) return;
        setName(nextRevisionName(group.name, data.data!.usedNames));
        setNameTouched(true);
        setPlatform(group.platform);
        setChosenIds(group.packages.map((p) => p.packageId));
        setInstallerId(group.packages.find((p) => p.installer)?.packageId);
        setOsVersions([...group.osVersions]);
      },
      (error: unknown) => current && setRevisionError(error),
    );
    return () => {
      current = false;
    };
  }, [client, revisionOf, data.data]);

  const nameProblem = nameTouched ? groupNameProblem(name, usedNames) : undefined;
  const nameError = apiErrors.name ?? nameProblem;
  const suggestion =
    nameTouched && usedNames.has(name) ? nextRevisionName(name, usedNames) : undefined;
  const offered = (data.data?.osVersions ?? []).filter((os) => os.platform === platform);
  const chosen = packages.filter((p) => chosenIds.includes(p.id));
  const option = (p: UploadedPackage) => ({ value: p.id, label: p.fileName, description: p.id });

  const startUploads = (files: readonly File[]) => {
    for (const file of files) {
      const key = `${file.name}-${Date.now()}-${Math.random()}`;
      const update = (change: Partial<UploadProgress>) =>
        setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));
      setUploads((all) => [...all, { key, fileName: file.name, percent: 0, done: false }]);
      uploadPackage(client, file, (sent, total) =>
        update({ percent: total === 0 ? 100 : Math.round((sent / total) * 100) }),
      ).then(
        (pkg) => {
          update({ percent: 100, done: true });
          setUploaded((all) => [...all, pkg]);
          setChosenIds((ids) => [...ids, pkg.id]);
          // A single .sh or similar file is almost always the installer.
          setInstallerId((id) => id ?? pkg.id);
        },
        (error: unknown) => {
          const failure = toApiError(error);
          update({ done: true, error: `${failure.message} (${failure.code})` });
        },
      );
    }
  };

  const submit = async () => {
    setNameTouched(true);
    if (groupNameProblem(name, usedNames) !== undefined) return;
    setSubmitting(true);
    setApiErrors({});
    try {
      await createPackageGroup(client, {
        name,
        platform,
        osVersions,
        packages: chosenIds.map((packageId) => ({
          packageId,
          installer: packageId === installerId,
        })),
      });
      navigate('/seller/scan-status');
    } catch (error) {
      const failure = toApiError(error);
      const field = FIELD_OF_CODE[failure.code];
      if (field === undefined) notifyError('Could not submit the package group', failure);
      else setApiErrors({ [field]: `${failure.message} (${failure.code})` });
      setSubmitting(false);
    }
  };

  const clearApiError = (field: Field) =>
    setApiErrors((all) => {
      const rest = { ...all };
      delete rest[field];
      return rest;
    });

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Each OS version you choose gets a test build and scan of your package group."
        >
          Start package
        </Header>
      }
    >
      <form onSubmit={(event) => event.preventDefault()}>
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => navigate('/seller/packages')}>
                Cancel
              </Button>
              <Button
                variant="primary"
                loading={submitting}
                disabled={uploads.some((u) => !u.done)}
                onClick={() => void submit()}
              >
                Submit
              </Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="l">
            {data.error !== undefined && (
              <ApiErrorAlert
                header="Could not load packages and OS versions"
                error={data.error}
                onRetry={data.reload}
              />
            )}
            {revisionError !== undefined && (
              <ApiErrorAlert
                header={`Could not copy ${revisionOf ?? ''}`}
                error={toApiError(revisionError)}
              />
            )}
            <Container header={<Header variant="h2">Package group</Header>}>
              <SpaceBetween size="l">
                <FormField
                  label="Enter a unique name for your package group"
                  constraintText="Fewer than 100 letters, digits, underscores and dashes; a name can be used once. Add a revision such as _r1."
                  errorText={nameError}
                  secondaryControl={
                    suggestion === undefined ? undefined : (
                      <Button
                        onClick={() => {
                          setName(suggestion);
                          clearApiError('name');
                        }}
                      >
                        Use {suggestion}
                      </Button>
                    )
                  }
                >
                  <Input
                    value={name}
                    placeholder="acme_agent_1_0_linux_r1"
                    onChange={({ detail }) => {
                      setName(detail.value);
                      setNameTouched(true);
                      clearApiError('name');
                    }}
                  />
                </FormField>
                <FormField
                  label="Select supported operating system platform"
                  errorText={apiErrors.platform}
                >
                  <RadioGroup
                    value={platform}
                    onChange={({ detail }) => {
                      setPlatform(detail.value as Platform);
                      setOsVersions([]);
                      clearApiError('platform');
                    }}
                    items={[
                      { value: 'linux', label: 'AWS Marketplace base Linux AMIs' },
                      { value: 'windows', label: 'AWS Marketplace base Windows AMIs' },
                    ]}
                  />
                </FormField>
              </SpaceBetween>
            </Container>
            <Container header={<Header variant="h2">Packages</Header>}>
              <SpaceBetween size="l">
                <FormField
                  label="Select one or more packages"
                  description="Packages you uploaded before, or new files you browse for below."
                  errorText={apiErrors.packages}
                >
                  <Multiselect
                    selectedOptions={chosen.map(option)}
                    options={packages.map(option)}
                    onChange={({ detail }) => {
                      const ids = detail.selectedOptions.map((o) => o.value ?? '');
                      setChosenIds(ids);
                      if (installerId !== undefined && !ids.includes(installerId))
                        setInstallerId(undefined);
                      clearApiError('packages');
                    }}
                    placeholder="Choose packages"
                    filteringType="auto"
                    statusType={data.loading && data.data === undefined ? 'loading' : 'finished'}
                    empty="No packages uploaded yet"
                  />
                </FormField>
                <FormField label="Upload new packages">
                  <FileUpload
                    multiple
                    value={[]}
                    onChange={({ detail }) => startUploads(detail.value)}
                    i18nStrings={{
                      uploadButtonText: () => 'Browse',
                      removeFileAriaLabel: (_i, fileName) => `Remove ${fileName}`,
                    }}
                  />
                </FormField>
                {uploads.map((upload) => (
                  <ProgressBar
                    key={upload.key}
                    label={upload.fileName}
                    value={upload.percent}
                    status={
                      upload.error !== undefined ? 'error' : upload.done ? 'success' : 'in-progress'
                    }
                    resultText={upload.error ?? 'Uploaded'}
                  />
                ))}
                <FormField
                  label="Installer"
                  description="The package or script that installs everything, unattended, exiting 0 on success."
                  constraintText={
                    platform === 'linux'
                      ? 'Linux installers: .exe, .rpm, .deb, .sh, .run'
                      : 'Windows installers: .msi, .ps1, .bat, .exe'
                  }
                  errorText={apiErrors.installer}
                >
                  <Select
                    selectedOption={
                      chosen.filter((p) => p.id === installerId).map(option)[0] ?? null
                    }
                    options={chosen.map(option)}
                    onChange={({ detail }) => {
                      setInstallerId(detail.selectedOption.value);
                      clearApiError('installer');
                    }}
                    placeholder="Choose the installer"
                    empty="Select packages first"
                  />
                </FormField>
              </SpaceBetween>
            </Container>
            <Container header={<Header variant="h2">Operating systems</Header>}>
              <FormField
                label="Select supported operating systems"
                errorText={apiErrors.osVersions}
              >
                {offered.length === 0 ? (
                  <Box color="text-status-inactive">
                    {data.data === undefined
                      ? 'Loading OS versions'
                      : `No ${platform} OS versions are offered.`}
                  </Box>
                ) : (
                  <SpaceBetween size="xxs">
                    {offered.map((os) => (
                      <Checkbox
                        key={os.id}
                        checked={osVersions.includes(os.id)}
                        description={os.id}
                        onChange={({ detail }) => {
                          setOsVersions((all) =>
                            detail.checked ? [...all, os.id] : all.filter((id) => id !== os.id),
                          );
                          clearApiError('osVersions');
                        }}
                      >
                        {os.name}
                      </Checkbox>
                    ))}
                  </SpaceBetween>
                )}
              </FormField>
            </Container>
          </SpaceBetween>
        </Form>
      </form>
    </ContentLayout>
  );
}
