import { describe, expect, it } from 'vitest';
import { parsePurl, purlMatches } from '../../../src/scanner/gate/purl-match.js';

describe('parsePurl', () => {
  it.each([
    {
      purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
      parsed: { type: 'deb', namespace: 'debian', name: 'libc6', version: '2.36-9+deb12u4' },
    },
    {
      purl: 'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1',
      parsed: { type: 'deb', namespace: 'debian', name: 'zlib1g', version: '1:1.2.13.dfsg-1' },
    },
    {
      purl: 'pkg:npm/%40angular/core@16.2.0',
      parsed: { type: 'npm', namespace: '@angular', name: 'core', version: '16.2.0' },
    },
    {
      purl: 'pkg:npm/@angular/core',
      parsed: { type: 'npm', namespace: '@angular', name: 'core', version: undefined },
    },
    {
      purl: 'PKG:Maven/org.Apache.Logging/log4j-core@2.14.1#src/main',
      parsed: {
        type: 'maven',
        namespace: 'org.Apache.Logging',
        name: 'log4j-core',
        version: '2.14.1',
      },
    },
    {
      purl: 'pkg:golang/github.com/Masterminds/semver/v3@v3.2.1',
      parsed: {
        type: 'golang',
        namespace: 'github.com/masterminds/semver',
        name: 'v3',
        version: 'v3.2.1',
      },
    },
    {
      purl: 'pkg://pypi/Django_REST.framework@3.14.0',
      parsed: { type: 'pypi', namespace: '', name: 'django-rest-framework', version: '3.14.0' },
    },
    {
      purl: 'pkg:rpm/RedHat/OpenSSL',
      parsed: { type: 'rpm', namespace: 'redhat', name: 'OpenSSL', version: undefined },
    },
  ])('$purl', ({ purl, parsed }) => {
    expect(parsePurl(purl)).toEqual(parsed);
  });

  it.each([
    'libssl3',
    'purl:deb/debian/libssl3',
    'pkg:deb',
    'pkg:/libssl3',
    'pkg:1deb/debian/libssl3',
    'pkg:deb/',
    'pkg:deb/debian/libssl3@',
    'pkg:deb/debian/lib%ZZssl3',
  ])('refuses %s', (purl) => {
    expect(parsePurl(purl)).toBeUndefined();
  });
});

describe('purlMatches', () => {
  const libssl3 = 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12';
  it.each([
    { pattern: 'pkg:deb/debian/libssl3', candidate: libssl3, matches: true },
    { pattern: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2', candidate: libssl3, matches: true },
    { pattern: 'pkg:deb/debian/libssl3@3.0.11-1%7Edeb12u2', candidate: libssl3, matches: true },
    { pattern: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u1', candidate: libssl3, matches: false },
    { pattern: 'pkg:deb/debian/libssl3?arch=arm64', candidate: libssl3, matches: true },
    { pattern: 'pkg:deb/debian/libssl3#usr/lib', candidate: libssl3, matches: true },
    { pattern: 'pkg:deb/Debian/LibSSL3', candidate: libssl3, matches: true },
    { pattern: 'pkg:deb/ubuntu/libssl3', candidate: libssl3, matches: false },
    { pattern: 'pkg:deb/debian/openssl', candidate: libssl3, matches: false },
    { pattern: 'pkg:rpm/debian/libssl3', candidate: libssl3, matches: false },
    { pattern: 'pkg:deb/libssl3', candidate: libssl3, matches: false },
    {
      pattern: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2',
      candidate: 'pkg:deb/debian/libssl3',
      matches: false,
    },
    {
      pattern: 'pkg:maven/org.apache.logging.log4j/log4j-core',
      candidate: 'pkg:maven/org.apache.logging.log4j/Log4j-Core@2.14.1',
      matches: false,
    },
    { pattern: 'pkg:npm/%40babel/core', candidate: 'pkg:npm/@babel/core@7.22.0', matches: true },
    { pattern: 'pkg:pypi/pyyaml', candidate: 'pkg:pypi/PyYAML@5.3.1', matches: true },
    {
      pattern: 'pkg:pypi/typing_extensions',
      candidate: 'pkg:pypi/typing-extensions@4.8.0',
      matches: true,
    },
    { pattern: 'not a purl', candidate: libssl3, matches: false },
    { pattern: 'pkg:deb/debian/libssl3', candidate: 'not a purl', matches: false },
  ])('$pattern vs $candidate: $matches', ({ pattern, candidate, matches }) => {
    expect(purlMatches(pattern, candidate)).toBe(matches);
  });
});
