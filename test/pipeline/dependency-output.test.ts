import { describe, expect, it } from 'vitest';

import { findMissingDependencies } from '../../src/pipeline/checks/dependency-output.js';
import type { LogLine } from '../../src/domain/types.js';

function lines(texts: string[]): LogLine[] {
  return texts.map((text, i) => ({
    seq: i + 1,
    at: '2026-11-27T10:00:00.000Z',
    stream: 'stdout',
    text,
  }));
}

describe('apt unmet dependency report', () => {
  it('names every unmet dependency, with continuation lines', () => {
    // As apt-get 2.6 on bookworm prints it for a local .deb.
    const output = lines([
      'Reading package lists...',
      'The following information may help to resolve the situation:',
      '',
      'The following packages have unmet dependencies:',
      ' acme-agent : Depends: libfoo1 (>= 1.2) but it is not installable',
      '              Depends: libbar2 but it is not installable',
      ' acme-tools : PreDepends: libbaz3 but it is not going to be installed',
      'E: Unable to correct problems, you have held broken packages.',
    ]);
    expect(findMissingDependencies(output)).toEqual([
      { package: 'acme-agent', dependency: 'libfoo1 (>= 1.2)' },
      { package: 'acme-agent', dependency: 'libbar2' },
      { package: 'acme-tools', dependency: 'libbaz3' },
    ]);
  });

  it('finds nothing in output without the report', () => {
    expect(
      findMissingDependencies(
        lines(['Setting up acme-agent (1.0) ...', 'Depends: is a word here']),
      ),
    ).toEqual([]);
  });
});
