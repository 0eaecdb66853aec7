import path from 'node:path';

import type { Command } from 'commander';

import type { GoldImageView } from '../../domain/gold-images/gold-image-service.js';
import { ApiClient } from '../api-client.js';
import { note, printJson, printTable } from '../output.js';

/** How often upload progress is written to stderr at most. */
const PROGRESS_INTERVAL_MS = 1000;

/** `goldsmith gold-image import|list`: a buyer's gold images and the images shared with it. */
export function goldImageCommand(program: Command): void {
  const gold = program
    .command('gold-image')
    .description('a buyer’s gold images: import one, list the images to build on');

  gold
    .command('import')
    .description(
      'import an image you own: a root filesystem tar (plain, gzip, zstd, xz), an OCI archive ' +
        'or a docker save archive; prints the image id',
    )
    .argument('<file>')
    .option('--name <name>', 'the image’s name (default: the file name)')
    .option('--json', 'JSON output')
    .action(async (file: string, opts: { name?: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const query = new URLSearchParams({ fileName: path.basename(file) });
      if (opts.name !== undefined) query.set('name', opts.name);
      let last = 0;
      const image = await client.uploadFile<GoldImageView>(
        'POST',
        `/v1/gold-images?${query.toString()}`,
        file,
        (sent, total) => {
          const now = Date.now();
          if (opts.json === true || (now - last < PROGRESS_INTERVAL_MS && sent < total)) return;
          last = now;
          const percent = total === 0 ? 100 : Math.floor((sent / total) * 100);
          note(`uploading ${path.basename(file)}: ${sent} of ${total} bytes (${percent}%)`);
        },
      );
      if (opts.json === true) return printJson(image);
      note(`imported ${image.name} (${image.osVersion})`);
      console.log(image.id);
    });

  gold
    .command('list')
    .description('your gold images and the images shared with you (base images)')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const { images } = await client.request<{ images: GoldImageView[] }>(
        'GET',
        '/v1/gold-images',
      );
      if (opts.json === true) return printJson(images);
      printTable(
        ['ID', 'NAME', 'KIND', 'OS', 'OWNER', 'CREATED'],
        images.map((i) => [i.id, i.name, i.kind, i.osVersion, i.owner, i.createdAt]),
      );
    });
}
