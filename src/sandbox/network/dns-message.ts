// A minimal DNS responder's message handling (RFC 1035 section 4): parse a query's question,
// answer A with one address and everything else with no data.

/** The question of a DNS query. */
export interface DnsQuestion {
  readonly id: number;
  readonly name: string;
  readonly type: number;
  /** Offset just past the question section. */
  readonly questionEnd: number;
}

const TYPE_NAMES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  64: 'SVCB',
  65: 'HTTPS',
  255: 'ANY',
};

/** The mnemonic of a query type (RFC 1035 3.2.2, RFC 3596), or TYPEn (RFC 3597). */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE${type}`;
}

/** The first question of a query, or undefined when the message is no well-formed query. */
export function parseDnsQuery(message: Buffer): DnsQuestion | undefined {
  if (message.length < 12) return undefined;
  const flags = message.readUInt16BE(2);
  // QR must be 0 (a query) and there must be a question.
  if ((flags & 0x8000) !== 0 || message.readUInt16BE(4) < 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    const length = message[offset];
    if (length === undefined || length > 63) return undefined; // no compression in a question
    offset += 1;
    if (length === 0) break;
    if (offset + length > message.length) return undefined;
    labels.push(message.toString('latin1', offset, offset + length));
    offset += length;
  }
  if (offset + 4 > message.length) return undefined;
  return {
    id: message.readUInt16BE(0),
    name: labels.join('.').toLowerCase(),
    type: message.readUInt16BE(offset),
    questionEnd: offset + 4,
  };
}

/**
 * The answer to a query: for A (class IN) one record with `address`; for any other type a
 * NOERROR answer without records (NODATA), so clients fall back to IPv4 at once.
 */
export function dnsAnswer(query: Buffer, question: DnsQuestion, address: string): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(question.id, 0);
  // QR=1, opcode 0, AA=1, RD copied from the query, RA=1, RCODE 0.
  const recursionDesired = (query.readUInt16BE(2) & 0x0100) !== 0;
  header.writeUInt16BE(0x8400 | (recursionDesired ? 0x0100 : 0) | 0x0080, 2);
  header.writeUInt16BE(1, 4);
  const classIn = query.readUInt16BE(question.questionEnd - 2) === 1;
  const answers = question.type === 1 && classIn ? 1 : 0;
  header.writeUInt16BE(answers, 6);
  const parts = [header, query.subarray(12, question.questionEnd)];
  if (answers === 1) {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    record.writeUInt16BE(1, 2); // A
    record.writeUInt16BE(1, 4); // IN
    record.writeUInt32BE(60, 6); // TTL
    record.writeUInt16BE(4, 10);
    address.split('.').forEach((octet, index) => record.writeUInt8(Number(octet), 12 + index));
    parts.push(record);
  }
  return Buffer.concat(parts);
}
