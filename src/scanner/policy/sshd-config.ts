import { listDirectoryInRoot, readTextInRoot } from '../inventory/root-fs.js';

/** One keyword line of sshd_config(5), in the order sshd reads it. */
export interface SshdDirective {
  /** Lower case: sshd_config keywords are case-insensitive. */
  readonly keyword: string;
  readonly args: readonly string[];
  /** Relative to the root, e.g. `etc/ssh/sshd_config.d/50-cloud-init.conf`. */
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** The `Match` line that makes it conditional; undefined for the global section. */
  readonly matchBlock?: string;
}

export const SSHD_CONFIG = 'etc/ssh/sshd_config';
const MAX_CONFIG_BYTES = 1024 * 1024;
/** servconf.c SERVCONF_MAX_DEPTH: how deep Include may nest. */
const MAX_INCLUDE_DEPTH = 16;

/**
 * Reads `etc/ssh/sshd_config` with its `Include`d files expanded in place, as sshd does;
 * undefined when the image has no sshd_config.
 */
export async function readSshdConfig(root: string): Promise<SshdDirective[] | undefined> {
  const text = await readTextInRoot(root, SSHD_CONFIG, MAX_CONFIG_BYTES);
  if (text === undefined) return undefined;
  const directives: SshdDirective[] = [];
  await parseInto(root, SSHD_CONFIG, text, undefined, 0, directives);
  return directives;
}

async function parseInto(
  root: string,
  file: string,
  text: string,
  inheritedMatch: string | undefined,
  depth: number,
  out: SshdDirective[],
): Promise<void> {
  // servconf.c restores the Match state after an Include, so a Match opened inside an
  // included file ends with that file; one opened around the Include covers the file.
  let matchBlock = inheritedMatch;
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = /^([^\s=]+)[\s=]*(.*)$/.exec(line);
    if (parsed === null) continue;
    const keyword = (parsed[1] ?? '').toLowerCase();
    const args = splitArgs(parsed[2] ?? '');
    if (keyword === 'match') {
      // `Match all` (alone) returns to unconditional settings.
      const all = args.length === 1 && args[0]?.toLowerCase() === 'all';
      matchBlock = all ? inheritedMatch : line;
      continue;
    }
    if (keyword === 'include') {
      if (depth >= MAX_INCLUDE_DEPTH) throw new Error(`${file}:${index + 1}: Include too deep`);
      for (const pattern of args) {
        // sshd_config(5): files without an absolute path are taken relative to /etc/ssh.
        const absolute = pattern.startsWith('/') ? pattern : `/etc/ssh/${pattern}`;
        for (const included of await globInRoot(root, absolute)) {
          const content = await readTextInRoot(root, included, MAX_CONFIG_BYTES);
          if (content === undefined) continue;
          await parseInto(root, included, content, matchBlock, depth + 1, out);
        }
      }
      continue;
    }
    out.push({ keyword, args, file, line: index + 1, text: line, matchBlock });
  }
}

/** Splits arguments like sshd's argv_split: whitespace separated, `"..."` quoting, `#` comments. */
function splitArgs(rest: string): string[] {
  const args: string[] = [];
  for (const match of rest.matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = match[1] ?? match[2] ?? '';
    if (match[1] === undefined && word.startsWith('#')) break;
    args.push(word);
  }
  return args;
}

/**
 * Expands an absolute glob(3) pattern (`*`, `?`, `[...]`) inside `root`, sorted like glob(3).
 * Returns paths relative to the root.
 */
export async function globInRoot(root: string, pattern: string): Promise<string[]> {
  let matches = [''];
  for (const part of pattern.split('/').filter((p) => p !== '')) {
    const next: string[] = [];
    for (const dir of matches) {
      if (!/[*?[]/.test(part)) {
        next.push(dir === '' ? part : `${dir}/${part}`);
        continue;
      }
      const regex = globPartToRegExp(part);
      for (const name of await listDirectoryInRoot(root, dir)) {
        // glob(3) without GLOB_PERIOD: a wildcard never matches a leading dot.
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (regex.test(name)) next.push(dir === '' ? name : `${dir}/${name}`);
      }
    }
    matches = next;
  }
  return matches.sort();
}

function globPartToRegExp(part: string): RegExp {
  let source = '';
  for (let i = 0; i < part.length; i += 1) {
    const char = part[i] ?? '';
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = part.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        const body = part
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** sshd's rule: the first obtained value of a keyword wins. Global section only. */
export function firstGlobal(
  directives: readonly SshdDirective[],
  keywords: readonly string[],
): SshdDirective | undefined {
  return directives.find((d) => d.matchBlock === undefined && keywords.includes(d.keyword));
}

/** For each Match block that sets one of `keywords`, the first value it sets. */
export function firstPerMatchBlock(
  directives: readonly SshdDirective[],
  keywords: readonly string[],
): SshdDirective[] {
  const seen = new Set<string>();
  const firsts: SshdDirective[] = [];
  for (const directive of directives) {
    if (directive.matchBlock === undefined || !keywords.includes(directive.keyword)) continue;
    if (seen.has(directive.matchBlock)) continue;
    seen.add(directive.matchBlock);
    firsts.push(directive);
  }
  return firsts;
}
