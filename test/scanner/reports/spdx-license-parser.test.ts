import { describe, expect, it } from 'vitest';
import { parseSpdxLicenseExpression } from '../../../src/scanner/reports/spdx-license-parser.js';

describe('parseSpdxLicenseExpression', () => {
  it.each([
    ['MIT', 'MIT'],
    ['mit', 'MIT'],
    ['Apache-2.0', 'Apache-2.0'],
    ['(MIT OR Apache-2.0)', '(MIT OR Apache-2.0)'],
    [
      'GPL-2.0-or-later WITH Classpath-exception-2.0',
      'GPL-2.0-or-later WITH Classpath-exception-2.0',
    ],
    ['LGPL-2.1+ AND BSD-3-Clause', 'LGPL-2.1+ AND BSD-3-Clause'],
    ['MIT OR (Apache-2.0 AND BSD-2-Clause)', 'MIT OR (Apache-2.0 AND BSD-2-Clause)'],
    ['LicenseRef-acme-eula', 'LicenseRef-acme-eula'],
    [
      'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2',
      'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2',
    ],
  ])('accepts %s as %s', (text, expected) => {
    expect(parseSpdxLicenseExpression(text)).toBe(expected);
  });

  it.each([
    'GPLv3+',
    'SEE LICENSE IN LICENSE.txt',
    'MIT and Apache-2.0',
    'MIT OR',
    '(MIT',
    'MIT)',
    'GPL-2.0-only WITH MIT',
    'LicenseRef-',
    '',
    'Public Domain',
  ])('rejects %j', (text) => {
    expect(parseSpdxLicenseExpression(text)).toBeUndefined();
  });
});
