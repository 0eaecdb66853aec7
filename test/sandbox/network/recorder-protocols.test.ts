import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';

import { summarizeAttempts } from '../../../src/sandbox/network/attempt-summary.js';
import { findOriginalDestination } from '../../../src/sandbox/network/conntrack-table.js';
import { dnsAnswer, parseDnsQuery } from '../../../src/sandbox/network/dns-message.js';
import {
  classifyFirstBytes,
  NEED_MORE,
  splitHostHeader,
} from '../../../src/sandbox/network/first-bytes.js';

/** A DNS query for `name` and `type` as a stub resolver sends it (RD set, one question). */
function dnsQuery(name: string, type: number): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const labels = name
    .split('.')
    .map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(1, 3);
  return Buffer.concat([header, ...labels, tail]);
}

/** The ClientHello Node's TLS client sends for `servername`. */
async function clientHello(servername: string): Promise<Buffer> {
  const server = createServer();
  const received = new Promise<Buffer>((resolve) =>
    server.once('connection', (socket) => {
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk);
        socket.destroy();
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = connect({ host: '127.0.0.1', port, servername });
  client.on('error', () => undefined);
  const hello = await received;
  client.destroy();
  server.close();
  return hello;
}

describe('DNS messages', () => {
  it('answers A with the sink address and AAAA with no data', () => {
    const a = dnsQuery('Downloads.Example.com', 1);
    const question = parseDnsQuery(a);
    expect(question).toMatchObject({ id: 0x1234, name: 'downloads.example.com', type: 1 });
    const answer = dnsAnswer(a, question!, '10.213.7.1');
    expect(answer.readUInt16BE(0)).toBe(0x1234);
    expect(answer.readUInt16BE(2) & 0x800f).toBe(0x8000); // a response, NOERROR
    expect(answer.readUInt16BE(6)).toBe(1);
    expect([...answer.subarray(-4)]).toEqual([10, 213, 7, 1]);

    const aaaa = dnsQuery('downloads.example.com', 28);
    const noData = dnsAnswer(aaaa, parseDnsQuery(aaaa)!, '10.213.7.1');
    expect(noData.readUInt16BE(2) & 0x000f).toBe(0);
    expect(noData.readUInt16BE(6)).toBe(0);
  });

  it.each([
    ['too short', Buffer.alloc(5)],
    ['a response', Buffer.from([0, 1, 0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1])],
    ['no question', Buffer.from([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
    ['a truncated name', Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9, 0x61])],
  ])('rejects %s', (_name, message) => {
    expect(parseDnsQuery(message)).toBeUndefined();
  });
});

describe('first bytes of a connection', () => {
  it.each([
    [
      'an HTTP request',
      'GET /pkg/agent.tar.gz HTTP/1.1\r\nHost: downloads.example.com\r\nAccept: */*\r\n\r\n',
      { kind: 'http', method: 'GET', target: '/pkg/agent.tar.gz', host: 'downloads.example.com' },
    ],
    ['half a request line', 'GET /pkg/age', NEED_MORE],
    ['headers not finished', 'GET / HTTP/1.1\r\nHost: a.example\r\n', NEED_MORE],
    ['an SSH banner', 'SSH-2.0-OpenSSH_9.2\r\n', { kind: 'other' }],
    ['binary', '\u0000\u0001\u0002', { kind: 'other' }],
  ])('classifies %s', (_name, text, expected) => {
    expect(classifyFirstBytes(Buffer.from(text, 'latin1'))).toEqual(expected);
  });

  it.each([
    ['nothing', '', { kind: 'other' }],
    ['half a request line', 'GET /pkg/age', { kind: 'other' }],
    [
      'headers not finished',
      'GET /x HTTP/1.1\r\nHost: a.example\r\n',
      { kind: 'http', method: 'GET', target: '/x', host: 'a.example' },
    ],
    ['a TLS record header', '\u0016\u0003\u0001', { kind: 'tls', serverName: null }],
  ])('makes the best of %s when the client goes quiet', (_name, text, expected) => {
    expect(classifyFirstBytes(Buffer.from(text, 'latin1'), true)).toEqual(expected);
  });

  it('reads the SNI of a real ClientHello, and waits for all of it', async () => {
    const hello = await clientHello('secure.example.org');
    expect(classifyFirstBytes(hello)).toEqual({ kind: 'tls', serverName: 'secure.example.org' });
    expect(classifyFirstBytes(hello.subarray(0, 40))).toBe(NEED_MORE);
  });

  it.each([
    ['a.example:8080', { host: 'a.example', port: 8080 }],
    ['A.Example', { host: 'a.example', port: null }],
    ['[::1]:81', { host: '[::1]', port: 81 }],
  ])('splits the Host header %s', (value, expected) => {
    expect(splitHostHeader(value)).toEqual(expected);
  });
});

describe('conntrack table', () => {
  const table = [
    'ipv4     2 udp      17 29 src=10.213.5.2 dst=198.51.100.1 sport=41000 dport=123 [UNREPLIED] src=10.213.5.1 dst=10.213.5.2 sport=15002 dport=41000 mark=0 zone=0 use=2',
    'ipv4     2 tcp      6 431999 ESTABLISHED src=10.213.5.2 dst=203.0.113.7 sport=40000 dport=8080 src=10.213.5.1 dst=10.213.5.2 sport=15001 dport=40000 [ASSURED] mark=0 zone=0 use=2',
    '',
  ].join('\n');

  it.each([
    ['tcp', 40000, { address: '203.0.113.7', port: 8080 }],
    ['udp', 41000, { address: '198.51.100.1', port: 123 }],
    ['tcp', 41000, undefined],
    ['tcp', 15001, undefined],
  ] as const)('finds the original destination of %s from port %i', (protocol, port, expected) => {
    expect(findOriginalDestination(table, protocol, '10.213.5.2', port)).toEqual(expected);
  });
});

describe('attempt summary', () => {
  it('groups a lookup and the connections to the same host', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const summary = summarizeAttempts([
      { at, protocol: 'dns', host: 'a.example', port: 53, url: null, detail: 'A' },
      { at, protocol: 'dns', host: 'a.example', port: 53, url: null, detail: 'AAAA' },
      {
        at,
        protocol: 'http',
        host: 'a.example',
        port: 80,
        url: 'http://a.example/x',
        detail: null,
      },
      {
        at,
        protocol: 'http',
        host: 'A.example',
        port: 80,
        url: 'http://a.example/x',
        detail: null,
      },
      { at, protocol: 'dns', host: 'b.example', port: 53, url: null, detail: 'A' },
    ]);
    expect(summary).toEqual([
      {
        host: 'a.example',
        firstAt: at,
        protocols: ['dns', 'http'],
        ports: [80],
        urls: ['http://a.example/x'],
        lookupOnly: false,
        count: 4,
      },
      {
        host: 'b.example',
        firstAt: at,
        protocols: ['dns'],
        ports: [],
        urls: [],
        lookupOnly: true,
        count: 1,
      },
    ]);
  });
});
