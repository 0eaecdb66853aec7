import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

import { Option, type Command } from 'commander';

import type { OsVersionView } from '../../domain/base-images/base-image-catalog.js';
import { ApiClient } from '../api-client.js';
import { note, printJson, printTable } from '../output.js';
import {
  printScanReport,
  withScanReportOptions,
  type ScanReportOptions,
} from '../scan-report-options.js';

/** What `goldsmith image export --format` offers: an OCI archive or a disk image. */
const EXPORT_FORMATS = ['oci', 'oci-archive', 'raw', 'qcow2'] as const;

/** `POST /v1/images/{id}/exports`'s answer. */
interface ExportLinkBody {
  readonly format: string;
  readonly digest: string;
  readonly size: number;
  readonly url: string;
  readonly expiresAt: string | null;
}

/** `goldsmith os list`, `goldsmith base-image refresh`, `goldsmith image export|sbom|scan-report`. */
export function catalogCommands(program: Command): void {
  program
    .command('os')
    .description('OS versions')
    .command('list')
    .description('list the OS versions a package group may choose')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const { osVersions } = await client.request<{ osVersions: OsVersionView[] }>(
        'GET',
        '/v1/os-versions',
      );
      if (opts.json) return printJson(osVersions);
      printTable(
        ['ID', 'NAME', 'PLATFORM', 'BASE IMAGE', 'BASE CREATED'],
        osVersions.map((o) => [
          o.id,
          o.name,
          o.platform,
          o.baseImageId ?? '(built on first use)',
          o.baseCreatedAt ?? '-',
        ]),
      );
    });

  program
    .command('base-image')
    .description('base images (operators)')
    .command('refresh')
    .description('rebuild an OS version’s base image from the current archive')
    .argument('<osVersion>', 'e.g. debian-12')
    .action(async (osVersion: string) => {
      const client = await ApiClient.fromEnvironment();
      const { jobId } = await client.request<{ jobId: string }>(
        'POST',
        `/v1/base-images/${encodeURIComponent(osVersion)}/refresh`,
      );
      note(`refresh of ${osVersion} queued as ${jobId}`);
    });

  const image = program.command('image').description('images');
  image
    .command('export')
    .description(
      'an image as an OCI archive (for skopeo, podman, docker load) or a raw or qcow2 disk: with --output, download it; without, print an expiring link to it (stored once on the server)',
    )
    .argument('<imageId>')
    .addOption(
      new Option('--format <format>', 'oci archive (oci or oci-archive), or a disk image')
        .choices(EXPORT_FORMATS)
        .default('oci'),
    )
    .option('--output <file>', 'download to this .tar, .raw or .qcow2 instead of printing a link')
    .option('--json', 'JSON output (the link)')
    .action(
      async (
        imageId: string,
        opts: { format: (typeof EXPORT_FORMATS)[number]; output?: string; json?: boolean },
      ) => {
        const client = await ApiClient.fromEnvironment();
        const image = `/v1/images/${encodeURIComponent(imageId)}`;
        const format = opts.format === 'oci' ? 'oci-archive' : opts.format;
        if (opts.output === undefined) {
          if (opts.json !== true)
            note(`exporting ${imageId} as ${format}; a first export takes a while`);
          const link = await client.request<ExportLinkBody>('POST', `${image}/exports`, { format });
          if (opts.json === true) return printJson(link);
          note(
            link.expiresAt === null
              ? `${link.digest}, ${link.size} bytes; the link needs your Goldsmith token`
              : `${link.digest}, ${link.size} bytes; the link expires at ${link.expiresAt}`,
          );
          console.log(link.url);
          return;
        }
        const route =
          format === 'oci-archive' ? `${image}/oci-archive` : `${image}/disk?format=${format}`;
        await pipeline(await client.download(route), createWriteStream(opts.output));
        note(`wrote ${opts.output}`);
      },
    );
  image
    .command('sbom')
    .description('print an image’s SBOM (CycloneDX JSON)')
    .argument('<imageId>')
    .action(async (imageId: string) => {
      const client = await ApiClient.fromEnvironment();
      await pipeline(
        await client.download(`/v1/images/${encodeURIComponent(imageId)}/sbom`),
        process.stdout,
      );
    });
  withScanReportOptions(
    image
      .command('scan-report')
      .description('print the scan report of an image')
      .argument('<imageId>'),
  ).action(async (imageId: string, opts: ScanReportOptions) => {
    await printScanReport(`/v1/images/${encodeURIComponent(imageId)}/scan-report`, opts);
  });
}
