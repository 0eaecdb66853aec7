import type { Command } from 'commander';

import type { InstanceState } from '../../domain/instances/instance.js';
import type { LogLine } from '../../domain/types.js';
import { ApiClient } from '../api-client.js';
import { printJson, printTable } from '../output.js';

/** An instance as `/v1/instances` answers it. */
interface InstanceBody {
  readonly id: string;
  readonly imageId: string;
  readonly command: string[] | null;
  readonly defaultCommand: boolean;
  readonly state: InstanceState;
  readonly stateReason: string | null;
  readonly exitCode: number | null;
  readonly launchedAt: string;
  readonly stoppedAt: string | null;
  readonly terminatedAt: string | null;
}

interface ConsolePage {
  readonly lines: LogLine[];
  readonly nextSeq: number;
  readonly complete: boolean;
}

const PAGE_LINES = 1000;
const FOLLOW_POLL_MS = 500;

/** `goldsmith instance launch|list|show|console|stop|terminate`: images run on the Goldsmith host. */
export function instanceCommand(program: Command): void {
  const command = program
    .command('instance')
    .description('images launched as instances on the Goldsmith host, in a sandbox of their own');

  command
    .command('launch')
    .description('launch an image as an instance; prints the instance id')
    .argument('<image>', 'an image id: your own, or a shared base image')
    .option('--command <shell>', 'run this with /bin/sh -c instead of the image’s init')
    .option('--json', 'JSON output')
    .action(async (imageId: string, opts: { command?: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const instance = await client.request<InstanceBody>('POST', '/v1/instances', {
        imageId,
        ...(opts.command === undefined ? {} : { command: ['/bin/sh', '-c', opts.command] }),
      });
      if (opts.json === true) return printJson(instance);
      console.log(instance.id);
    });

  command
    .command('list')
    .description('your instances, terminated ones included, newest first')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const { instances } = await client.request<{ instances: InstanceBody[] }>(
        'GET',
        '/v1/instances',
      );
      if (opts.json === true) return printJson(instances);
      printTable(
        ['INSTANCE', 'STATE', 'IMAGE', 'EXIT', 'LAUNCHED', 'COMMAND'],
        instances.map((i) => [
          i.id,
          i.state,
          i.imageId,
          i.exitCode === null ? '-' : String(i.exitCode),
          i.launchedAt,
          i.command === null ? '(default)' : i.command.join(' '),
        ]),
      );
    });

  command
    .command('show')
    .description('one instance')
    .argument('<instance>')
    .option('--json', 'JSON output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const instance = await (
        await ApiClient.fromEnvironment()
      ).request<InstanceBody>('GET', `/v1/instances/${encodeURIComponent(id)}`);
      if (opts.json === true) return printJson(instance);
      printInstance(instance);
    });

  command
    .command('console')
    .description('print the console output of an instance')
    .argument('<instance>')
    .option('--follow', 'keep printing new lines until the instance ends')
    .option('--json', 'one JSON object per line: {seq, at, stream, text}')
    .action(async (id: string, opts: { follow?: boolean; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      let after = 0;
      for (;;) {
        const page = await client.request<ConsolePage>(
          'GET',
          `/v1/instances/${encodeURIComponent(id)}/console?after=${after}&limit=${PAGE_LINES}`,
        );
        for (const line of page.lines) {
          if (opts.json === true) process.stdout.write(JSON.stringify(line) + '\n');
          else process.stdout.write(`${line.at} ${line.stream.padEnd(6)} ${line.text}\n`);
        }
        after = page.nextSeq;
        if (page.lines.length === PAGE_LINES) continue;
        if (opts.follow !== true || page.complete) return;
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      }
    });

  for (const [action, description] of [
    ['stop', 'stop an instance: its processes are killed, its files stay'],
    ['terminate', 'terminate an instance: stopped if need be, its files removed'],
  ] as const) {
    command
      .command(action)
      .description(description)
      .argument('<instance>')
      .option('--json', 'JSON output')
      .action(async (id: string, opts: { json?: boolean }) => {
        const instance = await (
          await ApiClient.fromEnvironment()
        ).request<InstanceBody>('POST', `/v1/instances/${encodeURIComponent(id)}/${action}`);
        if (opts.json === true) return printJson(instance);
        printInstance(instance);
      });
  }
}

function printInstance(instance: InstanceBody): void {
  const exit = instance.exitCode === null ? '' : ` (exit ${instance.exitCode})`;
  console.log(`${instance.id}: ${instance.state}${exit}`);
  if (instance.stateReason !== null) console.log(`reason: ${instance.stateReason}`);
  console.log(`image: ${instance.imageId}`);
  console.log(
    `command: ${instance.command === null ? '(default)' : JSON.stringify(instance.command)}`,
  );
  console.log(`launched: ${instance.launchedAt}`);
  if (instance.stoppedAt !== null) console.log(`stopped: ${instance.stoppedAt}`);
  if (instance.terminatedAt !== null) console.log(`terminated: ${instance.terminatedAt}`);
}
