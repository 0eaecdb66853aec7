// The recorder of a sink network: runs inside the sink namespace (started by sink-network.ts),
// answers every DNS name with the sink's address, accepts every redirected TCP connection and
// UDP datagram, and prints what it saw as JSON lines on stdout. It imports only Node built-ins
// and its siblings so it runs as plain JavaScript from dist/.
import { createSocket } from 'node:dgram';
import type { RemoteInfo } from 'node:dgram';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

import { findOriginalDestination, readConntrackTable } from './conntrack-table.js';
import { dnsAnswer, dnsTypeName, parseDnsQuery } from './dns-message.js';
import { classifyFirstBytes, NEED_MORE, splitHostHeader } from './first-bytes.js';
import type { FirstBytes } from './first-bytes.js';
import type { NetworkAttempt, RecorderLine } from './network-types.js';

/** How long a client may stay silent before its connection is recorded as plain TCP. */
const FIRST_BYTES_TIMEOUT_MS = 1000;
/** TLS fatal alert handshake_failure (RFC 8446 section 6): the client gives up at once. */
const TLS_HANDSHAKE_FAILURE = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
const FORBIDDEN_BODY = 'Goldsmith build sandbox: downloads are not allowed during installation.\n';

const [address, tcpPortText, udpPortText, dnsPortText] = process.argv.slice(2);
if (address === undefined || tcpPortText === undefined || udpPortText === undefined) {
  throw new Error('usage: sink-recorder ADDRESS TCP_PORT UDP_PORT [DNS_PORT]');
}
const sinkAddress = address;
const dnsPort = Number(dnsPortText ?? '53');

function emit(line: RecorderLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function record(attempt: Omit<NetworkAttempt, 'at'>): void {
  emit({ event: 'attempt', at: new Date().toISOString(), ...attempt });
}

function recordDns(message: Buffer): Buffer | undefined {
  const question = parseDnsQuery(message);
  if (question === undefined) return undefined;
  record({
    protocol: 'dns',
    host: question.name,
    port: 53,
    url: null,
    detail: dnsTypeName(question.type),
  });
  return dnsAnswer(message, question, sinkAddress);
}

async function originalDestination(protocol: 'tcp' | 'udp', peer: string, peerPort: number) {
  return findOriginalDestination(await readConntrackTable(), protocol, peer, peerPort);
}

async function recordConnection(socket: Socket, first: FirstBytes): Promise<void> {
  const peer = socket.remoteAddress ?? '';
  const destination = await originalDestination('tcp', peer, socket.remotePort ?? 0);
  const port = destination?.port ?? null;
  const sentTo = destination ? `to ${destination.address}:${destination.port}` : 'to unknown';
  if (first.kind === 'http') {
    const hostHeader = first.host === null ? null : splitHostHeader(first.host);
    const host = hostHeader?.host ?? destination?.address ?? null;
    // An absolute-form target (a proxy request) is the URL itself (RFC 9112 3.2.2).
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(first.target)
      ? first.target
      : host === null
        ? null
        : `http://${host}${port === null || port === 80 ? '' : `:${port}`}${first.target}`;
    record({
      protocol: 'http',
      host,
      port,
      url,
      detail: `${first.method} ${first.target} ${sentTo}`,
    });
    const body = FORBIDDEN_BODY;
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    return;
  }
  if (first.kind === 'tls') {
    const host = first.serverName ?? destination?.address ?? null;
    const sni = first.serverName === null ? 'no SNI' : `SNI ${first.serverName}`;
    record({
      protocol: 'tls',
      host,
      port,
      url: null,
      detail: `TLS ClientHello, ${sni}, ${sentTo}`,
    });
    socket.end(TLS_HANDSHAKE_FAILURE);
    return;
  }
  record({ protocol: 'tcp', host: destination?.address ?? null, port, url: null, detail: sentTo });
  socket.destroy();
}

function handleConnection(socket: Socket): void {
  let received = Buffer.alloc(0);
  let done = false;
  const finish = (first: FirstBytes | typeof NEED_MORE): void => {
    if (done || first === NEED_MORE) return;
    done = true;
    clearTimeout(timer);
    socket.removeAllListeners('data');
    socket.pause();
    recordConnection(socket, first).catch((error: unknown) => {
      emit({ event: 'error', message: `recording a connection: ${String(error)}` });
      socket.destroy();
    });
  };
  const timer = setTimeout(
    () => finish(classifyFirstBytes(received, true)),
    FIRST_BYTES_TIMEOUT_MS,
  );
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    finish(classifyFirstBytes(received));
  });
  socket.on('end', () => finish(classifyFirstBytes(received, true)));
}

function handleDatagram(message: Buffer, from: RemoteInfo): void {
  originalDestination('udp', from.address, from.port)
    .then((destination) =>
      record({
        protocol: 'udp',
        host: destination?.address ?? null,
        port: destination?.port ?? null,
        url: null,
        detail: `${message.length} bytes`,
      }),
    )
    .catch((error: unknown) =>
      emit({ event: 'error', message: `recording UDP: ${String(error)}` }),
    );
}

function handleDnsOverTcp(socket: Socket): void {
  // RFC 1035 4.2.2: each message is preceded by its two-byte length.
  let received = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    while (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
      const message = received.subarray(2, 2 + received.readUInt16BE(0));
      received = received.subarray(2 + message.length);
      const answer = recordDns(message);
      if (answer === undefined) return void socket.destroy();
      const length = Buffer.alloc(2);
      length.writeUInt16BE(answer.length);
      socket.write(Buffer.concat([length, answer]));
    }
  });
}

function listenTcp(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '0.0.0.0', port }, () => resolve());
  });
}

function bindUdp(handler: (message: Buffer, from: RemoteInfo) => void, port: number) {
  const socket = createSocket('udp4', handler);
  return new Promise<typeof socket>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: '0.0.0.0', port }, () => resolve(socket));
  });
}

const dnsUdp = await bindUdp((message, from) => {
  const answer = recordDns(message);
  if (answer !== undefined) dnsUdp.send(answer, from.port, from.address);
}, dnsPort);
await listenTcp(createServer(handleDnsOverTcp), dnsPort);
await listenTcp(createServer(handleConnection), Number(tcpPortText));
await bindUdp(handleDatagram, Number(udpPortText));

// The owner holds our stdin open: when it goes away, so do we, and the sink namespace is freed.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
emit({ event: 'ready' });
