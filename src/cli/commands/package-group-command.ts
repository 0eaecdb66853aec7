import { Option, type Command } from 'commander';

import type { PresentedPackageGroup } from '../../domain/package-groups/package-group-service.js';
import { isFinalState } from '../../domain/package-groups/group-state.js';
import { PLATFORMS, type OsBuild, type StoredPackage } from '../../domain/types.js';
import { ApiClient } from '../api-client.js';
import { note, printJson, printTable } from '../output.js';

/** Exit status of `create --wait` and `wait` per final group state, for scripts and CI. */
export const WAIT_EXIT_CODES = {
  Successful: 0,
  IssuesFound: 3,
  Investigating: 4,
  Cancelled: 5,
} as const;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `goldsmith package-group create|list|show|wait|cancel|delete`. */
export function packageGroupCommand(program: Command): void {
  const group = program.command('package-group').description('a seller’s package groups');

  group
    .command('create')
    .description('upload the packages and submit a package group; one build per OS version starts')
    .requiredOption('--name <name>', 'unique name: fewer than 100 of [A-Za-z0-9_-]')
    .addOption(
      new Option('--platform <platform>', 'OS platform').choices(PLATFORMS).default('linux'),
    )
    .requiredOption('--os <versions>', 'comma-separated OS versions, e.g. debian-12,debian-13')
    .requiredOption('--installer <file>', 'the installer (.sh .run .exe .deb .rpm on Linux)')
    .option('--package <file>', 'another file of the group (repeatable)', collect, [] as string[])
    .option('--wait', 'wait for every build to finish, showing progress')
    .option('--json', 'JSON output')
    .action(
      async (opts: {
        name: string;
        platform: string;
        os: string;
        installer: string;
        package: string[];
        wait?: boolean;
        json?: boolean;
      }) => {
        const client = await ApiClient.fromEnvironment();
        const files = [
          { path: opts.installer, installer: true },
          ...opts.package.map((p) => ({ path: p, installer: false })),
        ];
        const packages = [];
        for (const file of files) {
          const uploaded = await client.uploadPackage<StoredPackage>(file.path);
          if (!opts.json)
            note(`uploaded ${uploaded.fileName} (${uploaded.size} bytes, ${uploaded.digest})`);
          packages.push({ packageId: uploaded.id, installer: file.installer });
        }
        const created = await client.request<PresentedPackageGroup>('POST', '/v1/package-groups', {
          name: opts.name,
          platform: opts.platform,
          osVersions: opts.os
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0),
          packages,
        });
        if (!opts.json)
          note(
            `package group ${created.name} (${created.id}) submitted: ${created.builds.length} build(s)`,
          );
        if (opts.wait) {
          const final = await waitForGroup(client, created.id, !opts.json);
          if (opts.json) printJson(final);
          else printGroup(final);
          process.exitCode = WAIT_EXIT_CODES[final.state as keyof typeof WAIT_EXIT_CODES] ?? 1;
        } else if (opts.json) printJson(created);
        else printGroup(created);
      },
    );

  group
    .command('list')
    .description('list package groups with their state')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const { packageGroups } = await client.request<{ packageGroups: PresentedPackageGroup[] }>(
        'GET',
        '/v1/package-groups',
      );
      if (opts.json) return printJson(packageGroups);
      printTable(
        ['NAME', 'ID', 'STATE', 'OS VERSIONS', 'CREATED'],
        packageGroups.map((g) => [g.name, g.id, g.state, g.osVersions.join(','), g.createdAt]),
      );
    });

  group
    .command('show')
    .description('show a package group, its OS builds and their findings')
    .argument('<nameOrId>', 'package group name or id')
    .option('--json', 'JSON output')
    .action(async (nameOrId: string, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const found = await client.request<PresentedPackageGroup>(
        'GET',
        `/v1/package-groups/${encodeURIComponent(nameOrId)}`,
      );
      if (opts.json) printJson(found);
      else printGroup(found);
    });

  group
    .command('wait')
    .description('wait until every build of a package group has finished')
    .argument('<nameOrId>', 'package group name or id')
    .option('--json', 'JSON output')
    .action(async (nameOrId: string, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const final = await waitForGroup(client, nameOrId, !opts.json);
      if (opts.json) printJson(final);
      else printGroup(final);
      process.exitCode = WAIT_EXIT_CODES[final.state as keyof typeof WAIT_EXIT_CODES] ?? 1;
    });

  group
    .command('cancel')
    .description('cancel the unfinished builds of a package group')
    .argument('<nameOrId>', 'package group name or id')
    .option('--json', 'JSON output')
    .action(async (nameOrId: string, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const group = await client.request<PresentedPackageGroup>(
        'POST',
        `/v1/package-groups/${encodeURIComponent(nameOrId)}/cancel`,
      );
      if (opts.json) printJson(group);
      else printGroup(group);
    });

  group
    .command('delete')
    .description('delete a finished package group (its name stays used)')
    .argument('<nameOrId>', 'package group name or id')
    .action(async (nameOrId: string) => {
      const client = await ApiClient.fromEnvironment();
      await client.request('DELETE', `/v1/package-groups/${encodeURIComponent(nameOrId)}`);
      note(`deleted ${nameOrId}`);
    });
}

function currentPhase(build: OsBuild): string {
  const running = Object.entries(build.phases).find(([, timing]) => timing?.finishedAt === null);
  return running === undefined ? '' : ` (${running[0]})`;
}

/** Polls a group until all its builds are final, printing each change of state or phase. */
async function waitForGroup(
  client: ApiClient,
  idOrName: string,
  progress: boolean,
): Promise<PresentedPackageGroup> {
  const seen = new Map<string, string>();
  const started = Date.now();
  for (;;) {
    const group = await client.request<PresentedPackageGroup>(
      'GET',
      `/v1/package-groups/${encodeURIComponent(idOrName)}`,
    );
    for (const build of group.builds) {
      const status = `${build.state}${currentPhase(build)}`;
      if (progress && seen.get(build.id) !== status) {
        const elapsed = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
        note(`${elapsed}s  ${build.osVersion.padEnd(10)} ${status}`);
      }
      seen.set(build.id, status);
    }
    if (group.builds.every((b) => isFinalState(b.state))) return group;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function printGroup(group: PresentedPackageGroup): void {
  process.stdout.write(
    `${group.name}  ${group.id}  ${group.state}  (${group.platform}, created ${group.createdAt})\n`,
  );
  printTable(
    ['OS', 'BUILD', 'STATE', 'IMAGE', 'SUBMITTED', 'FINISHED'],
    group.builds.map((b) => [
      b.osVersion,
      b.id,
      b.state,
      b.imageId ?? '-',
      b.submittedAt,
      b.finishedAt ?? '-',
    ]),
  );
  for (const build of group.builds) {
    if (build.investigation !== null) {
      const { since, contactAvailableAt } = build.investigation;
      const contact =
        Date.now() >= Date.parse(contactAvailableAt)
          ? `contact the operators: goldsmith build contact ${build.id} --message "…"`
          : `you can contact the operators from ${contactAvailableAt}`;
      process.stdout.write(
        `\n${build.osVersion}: Investigating since ${since}; the operators are on it; ${contact}.\n`,
      );
    }
    for (const finding of build.findings) {
      process.stdout.write(
        `\n${build.osVersion}: ${finding.code} (${finding.severity})\n  ${finding.message}\n  What to do: ${finding.remedy}\n`,
      );
      const { outputTail, ...evidence } = finding.evidence;
      for (const [key, value] of Object.entries(evidence)) {
        process.stdout.write(
          `  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`,
        );
      }
      if (Array.isArray(outputTail) && outputTail.length > 0) {
        process.stdout.write(
          '  Output:\n' + outputTail.map((l) => `    ${String(l)}`).join('\n') + '\n',
        );
      }
    }
  }
}
