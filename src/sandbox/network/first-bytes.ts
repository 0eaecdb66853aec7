// Recognises what a client sent first on a redirected TCP connection: an HTTP request (RFC 9112
// section 3) or a TLS ClientHello (RFC 8446 section 4.1.2) with its server_name (RFC 6066 3).

/** What the first bytes of a connection are. */
export type FirstBytes =
  | {
      readonly kind: 'http';
      readonly method: string;
      readonly target: string;
      readonly host: string | null;
    }
  | { readonly kind: 'tls'; readonly serverName: string | null }
  | { readonly kind: 'other' };

/** More bytes are needed before the first bytes can be classified. */
export const NEED_MORE = 'need-more';

const REQUEST_LINE = /^([A-Z]{3,10}) (\S+) HTTP\/\d(?:\.\d)?\r?$/;

/**
 * Classifies the bytes received so far, or NEED_MORE when they are a prefix of a request. With
 * `final` (the client went quiet or closed) it makes the best of what there is instead.
 */
export function classifyFirstBytes(data: Buffer, final = false): FirstBytes | typeof NEED_MORE {
  if (data.length === 0) return final ? { kind: 'other' } : NEED_MORE;
  if (data[0] === 0x16) return classifyTls(data, final);
  if (data[0] !== undefined && data[0] >= 0x41 && data[0] <= 0x5a) return classifyHttp(data, final);
  return { kind: 'other' };
}

function classifyHttp(data: Buffer, final: boolean): FirstBytes | typeof NEED_MORE {
  const text = data.toString('latin1');
  const headerEnd = text.indexOf('\r\n\r\n');
  const firstLineEnd = text.indexOf('\n');
  if (firstLineEnd === -1) return data.length < 8192 && !final ? NEED_MORE : { kind: 'other' };
  const requestLine = REQUEST_LINE.exec(text.slice(0, firstLineEnd));
  if (requestLine === null) return { kind: 'other' };
  if (headerEnd === -1 && data.length < 16384 && !final) return NEED_MORE;
  const headers = text.slice(firstLineEnd + 1, headerEnd === -1 ? undefined : headerEnd);
  const hostLine = headers
    .split(/\r?\n/)
    .find((line) => line.slice(0, line.indexOf(':')).trim().toLowerCase() === 'host');
  const host = hostLine === undefined ? null : hostLine.slice(hostLine.indexOf(':') + 1).trim();
  return { kind: 'http', method: requestLine[1] ?? '', target: requestLine[2] ?? '', host };
}

function classifyTls(data: Buffer, final: boolean): FirstBytes | typeof NEED_MORE {
  if (data.length < 5) return final ? { kind: 'tls', serverName: null } : NEED_MORE;
  const recordLength = data.readUInt16BE(3);
  if (data.length < 5 + recordLength && !final) return NEED_MORE;
  const hello = data.subarray(5, 5 + recordLength);
  // Handshake type 1 = ClientHello.
  if (hello[0] !== 1) return { kind: 'tls', serverName: null };
  return { kind: 'tls', serverName: readServerName(hello) };
}

function readServerName(hello: Buffer): string | null {
  try {
    let offset = 4 + 2 + 32; // handshake header, legacy_version, random
    offset += 1 + hello.readUInt8(offset); // legacy_session_id
    offset += 2 + hello.readUInt16BE(offset); // cipher_suites
    offset += 1 + hello.readUInt8(offset); // legacy_compression_methods
    const extensionsEnd = offset + 2 + hello.readUInt16BE(offset);
    offset += 2;
    while (offset + 4 <= extensionsEnd) {
      const type = hello.readUInt16BE(offset);
      const length = hello.readUInt16BE(offset + 2);
      offset += 4;
      if (type === 0) {
        // ServerNameList: list length, then entries of type (0 = host_name) and name.
        let entry = offset + 2;
        while (entry + 3 <= offset + length) {
          const nameType = hello.readUInt8(entry);
          const nameLength = hello.readUInt16BE(entry + 1);
          if (nameType === 0) return hello.toString('latin1', entry + 3, entry + 3 + nameLength);
          entry += 3 + nameLength;
        }
        return null;
      }
      offset += length;
    }
  } catch {
    // A truncated ClientHello: read past its end.
  }
  return null;
}

/** Splits an HTTP Host header value into name and port ("[::1]:8080", "a.example:81"). */
export function splitHostHeader(value: string): { host: string; port: number | null } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value);
  if (match === null) return { host: value, port: null };
  return { host: (match[1] ?? value).toLowerCase(), port: match[2] ? Number(match[2]) : null };
}
