/**
 * Recognises SPDX license expressions (SPDX 2.3 Annex D) so an SBOM states a declared license only
 * when it is one. Identifiers are checked against the licenses and exceptions packages commonly
 * declare; anything else (`GPLv3+`, `SEE LICENSE IN ...`) is no expression, and the SPDX
 * document says NOASSERTION rather than something a validator would reject.
 */

/** SPDX License List identifiers packages commonly declare (deprecated ones included: still valid). */
const LICENSE_IDS = [
  '0BSD',
  'AFL-2.1',
  'AFL-3.0',
  'AGPL-1.0',
  'AGPL-3.0',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'Apache-1.0',
  'Apache-1.1',
  'Apache-2.0',
  'APSL-2.0',
  'Artistic-1.0',
  'Artistic-1.0-Perl',
  'Artistic-2.0',
  'Beerware',
  'blessing',
  'BlueOak-1.0.0',
  'BSD-1-Clause',
  'BSD-2-Clause',
  'BSD-2-Clause-Patent',
  'BSD-3-Clause',
  'BSD-3-Clause-Clear',
  'BSD-3-Clause-LBNL',
  'BSD-4-Clause',
  'BSL-1.0',
  'bzip2-1.0.6',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC-BY-SA-3.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'CDDL-1.0',
  'CDDL-1.1',
  'CPL-1.0',
  'curl',
  'ECL-2.0',
  'EPL-1.0',
  'EPL-2.0',
  'EUPL-1.1',
  'EUPL-1.2',
  'FTL',
  'GFDL-1.2-only',
  'GFDL-1.2-or-later',
  'GFDL-1.3-only',
  'GFDL-1.3-or-later',
  'GPL-1.0-only',
  'GPL-1.0-or-later',
  'GPL-2.0',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'HPND',
  'ICU',
  'IJG',
  'IPL-1.0',
  'ISC',
  'LGPL-2.0',
  'LGPL-2.0-only',
  'LGPL-2.0-or-later',
  'LGPL-2.1',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'Libpng',
  'libtiff',
  'MirOS',
  'MIT',
  'MIT-0',
  'MIT-CMU',
  'MPL-1.1',
  'MPL-2.0',
  'MPL-2.0-no-copyleft-exception',
  'MS-PL',
  'NCSA',
  'ODbL-1.0',
  'OFL-1.1',
  'OpenSSL',
  'PHP-3.01',
  'PostgreSQL',
  'PSF-2.0',
  'Python-2.0',
  'Ruby',
  'Sleepycat',
  'Unicode-3.0',
  'Unicode-DFS-2016',
  'Unlicense',
  'UPL-1.0',
  'Vim',
  'W3C',
  'WTFPL',
  'X11',
  'Zlib',
  'ZPL-2.1',
];

/** SPDX License Exceptions packages commonly declare after `WITH`. */
const EXCEPTION_IDS = [
  'Autoconf-exception-3.0',
  'Bison-exception-2.2',
  'Classpath-exception-2.0',
  'Font-exception-2.0',
  'GCC-exception-3.1',
  'GPL-3.0-linking-exception',
  'LGPL-3.0-linking-exception',
  'Libtool-exception',
  'Linux-syscall-note',
  'LLVM-exception',
  'openvpn-openssl-exception',
  'Qt-GPL-exception-1.0',
  'Swift-exception',
  'Universal-FOSS-exception-1.0',
  'WxWindows-exception-3.1',
];

/** Identifiers match case-insensitively (Annex D.2); the canonical spelling is written back. */
const byLowerCase = (ids: readonly string[]) => new Map(ids.map((id) => [id.toLowerCase(), id]));
const LICENSES = byLowerCase(LICENSE_IDS);
const EXCEPTIONS = byLowerCase(EXCEPTION_IDS);

/** `LicenseRef-` and `DocumentRef-...:LicenseRef-` user-defined identifiers (Annex D.1 idstring). */
const LICENSE_REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

class Parser {
  private position = 0;
  constructor(private readonly tokens: readonly string[]) {}

  parse(): string | undefined {
    const expression = this.orExpression();
    return expression !== undefined && this.position === this.tokens.length
      ? expression
      : undefined;
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  // Operators are case-sensitive (Annex D.3): `and` is no operator.
  private orExpression(): string | undefined {
    let left = this.andExpression();
    while (left !== undefined && this.peek() === 'OR') {
      this.position += 1;
      const right = this.andExpression();
      left = right === undefined ? undefined : `${left} OR ${right}`;
    }
    return left;
  }

  private andExpression(): string | undefined {
    let left = this.withExpression();
    while (left !== undefined && this.peek() === 'AND') {
      this.position += 1;
      const right = this.withExpression();
      left = right === undefined ? undefined : `${left} AND ${right}`;
    }
    return left;
  }

  private withExpression(): string | undefined {
    const license = this.primary();
    if (license === undefined || this.peek() !== 'WITH') return license;
    this.position += 1;
    const exception = EXCEPTIONS.get((this.peek() ?? '').toLowerCase());
    if (exception === undefined) return undefined;
    this.position += 1;
    return `${license} WITH ${exception}`;
  }

  private primary(): string | undefined {
    const token = this.peek();
    if (token === undefined) return undefined;
    this.position += 1;
    if (token === '(') {
      const inner = this.orExpression();
      if (inner === undefined || this.peek() !== ')') return undefined;
      this.position += 1;
      return `(${inner})`;
    }
    if (LICENSE_REF.test(token)) return token;
    const plus = token.endsWith('+');
    const id = LICENSES.get((plus ? token.slice(0, -1) : token).toLowerCase());
    return id === undefined ? undefined : `${id}${plus ? '+' : ''}`;
  }
}

/** The expression in canonical spelling when it is a valid SPDX license expression, else undefined. */
export function parseSpdxLicenseExpression(text: string): string | undefined {
  const tokens = text.match(/\(|\)|[^\s()]+/g);
  return tokens === null ? undefined : new Parser(tokens).parse();
}
