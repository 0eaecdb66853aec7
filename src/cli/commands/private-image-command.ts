import { text } from 'node:stream/consumers';

import type { Command } from 'commander';

import type { PrivateBuildStatus } from '../../domain/private-builds/private-build.js';
import { ApiClient } from '../api-client.js';
import { note, printJson, printTable } from '../output.js';

/** A private image build as `/v1/private-image-builds` answers it. */
interface PrivateBuildBody {
  readonly id: string;
  readonly status: PrivateBuildStatus;
  readonly destinationImage: { id: string | null; name: string; description: string | null };
  readonly sourceImageId: string;
  readonly fulfillmentOptionIds: string[];
  readonly products: { id: string; version: string; title: string }[];
  readonly errorDetail: { code: string; message: string } | null;
  readonly standardOutputUrl: string;
  readonly standardErrorUrl: string;
  readonly startTime: string;
  readonly lastUpdateTime: string;
}

const POLL_MS = 2000;

/** `goldsmith private-image build|list|show|logs`: a buyer's private image builds. */
export function privateImageCommand(program: Command): void {
  const command = program
    .command('private-image')
    .description('a buyer’s private images: build one from a product and a source image');

  command
    .command('build')
    .description('install a product’s fulfillment option onto a source image; prints the build id')
    .requiredOption('--fulfillment-option <id>', 'the fulfillment option to install')
    .requiredOption('--source-image <id>', 'your gold image or a shared base image')
    .requiredOption('--name <name>', 'the new image’s name (3-128 characters)')
    .option('--description <text>', 'the new image’s description (at most 255 characters)')
    .option('--tag <key=value>', 'a tag of the new image (repeatable)', collectTag, {})
    .option('--webhook <url>', 'notified of every status change')
    .option('--client-token <token>', 'makes a retried request return the first build')
    .option('--wait', 'wait until the build has finished')
    .option('--json', 'JSON output')
    .action(
      async (opts: {
        fulfillmentOption: string;
        sourceImage: string;
        name: string;
        description?: string;
        tag: Record<string, string>;
        webhook?: string;
        clientToken?: string;
        wait?: boolean;
        json?: boolean;
      }) => {
        const client = await ApiClient.fromEnvironment();
        let build = await client.request<PrivateBuildBody>('POST', '/v1/private-image-builds', {
          fulfillmentOptionIds: [opts.fulfillmentOption],
          sourceImageId: opts.sourceImage,
          destinationImageName: opts.name,
          ...(opts.description === undefined
            ? {}
            : { destinationImageDescription: opts.description }),
          ...(Object.keys(opts.tag).length === 0 ? {} : { tags: opts.tag }),
          ...(opts.webhook === undefined ? {} : { webhookUrl: opts.webhook }),
          ...(opts.clientToken === undefined ? {} : { clientToken: opts.clientToken }),
        });
        if (opts.wait === true) {
          if (opts.json !== true) note(`build ${build.id} started; waiting`);
          while (build.status === 'InProgress') {
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
            build = await client.request<PrivateBuildBody>(
              'GET',
              `/v1/private-image-builds/${build.id}`,
            );
          }
        }
        if (opts.json === true) return printJson(build);
        if (build.status !== 'InProgress') note(describe(build));
        console.log(build.id);
        if (build.status === 'Failed' || build.status === 'InternalError') process.exitCode = 1;
      },
    );

  command
    .command('list')
    .description('your private image builds, newest first')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const builds: PrivateBuildBody[] = [];
      let nextToken: string | undefined;
      do {
        const query = nextToken === undefined ? '' : `?nextToken=${encodeURIComponent(nextToken)}`;
        const page = await client.request<{ builds: PrivateBuildBody[]; nextToken?: string }>(
          'GET',
          `/v1/private-image-builds${query}`,
        );
        builds.push(...page.builds);
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      if (opts.json === true) return printJson(builds);
      printTable(
        ['BUILD', 'STATUS', 'NAME', 'IMAGE', 'PRODUCT', 'STARTED'],
        builds.map((b) => [
          b.id,
          b.status,
          b.destinationImage.name,
          b.destinationImage.id ?? '-',
          b.products.map((p) => `${p.title} ${p.version}`).join(', '),
          b.startTime,
        ]),
      );
    });

  command
    .command('show')
    .description('one private image build')
    .argument('<build>')
    .option('--json', 'JSON output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const build = await client.request<PrivateBuildBody>(
        'GET',
        `/v1/private-image-builds/${encodeURIComponent(id)}`,
      );
      if (opts.json === true) return printJson(build);
      console.log(describe(build));
      console.log(`source image: ${build.sourceImageId}`);
      console.log(`products: ${build.products.map((p) => `${p.title} ${p.version}`).join(', ')}`);
      console.log(`stdout: ${build.standardOutputUrl}`);
      console.log(`stderr: ${build.standardErrorUrl}`);
    });

  command
    .command('logs')
    .description('the installer’s output of a private image build')
    .argument('<build>')
    .option('--stream <stream>', 'stdout or stderr', 'stdout')
    .option('--json', 'JSON output: {"lines": [...]}')
    .action(async (id: string, opts: { stream: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const body = await text(
        await client.download(
          `/v1/private-image-builds/${encodeURIComponent(id)}/logs?stream=${encodeURIComponent(opts.stream)}`,
        ),
      );
      if (opts.json === true) return printJson({ lines: body.split('\n').slice(0, -1) });
      process.stdout.write(body);
    });
}

function describe(build: PrivateBuildBody): string {
  const detail =
    build.errorDetail === null ? '' : `: ${build.errorDetail.code} ${build.errorDetail.message}`;
  const image = build.destinationImage.id === null ? '' : ` → ${build.destinationImage.id}`;
  return `${build.id} ${build.status}${image}${detail}`;
}

function collectTag(value: string, tags: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new Error(`--tag ${value}: give key=value`);
  return { ...tags, [value.slice(0, at)]: value.slice(at + 1) };
}
