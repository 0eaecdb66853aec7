import { open } from 'node:fs/promises';

/** The first `length` bytes of a file (fewer when it is shorter). */
export async function readFileHead(hostPath: string, length: number): Promise<Buffer> {
  const handle = await open(hostPath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** File kinds told apart by their first bytes, for messages to sellers. */
const SIGNATURES: readonly { readonly bytes: Buffer; readonly kind: string }[] = [
  { bytes: Buffer.from('\x7fELF', 'latin1'), kind: 'an ELF executable' },
  { bytes: Buffer.from('MZ'), kind: 'a Windows PE executable (MZ header)' },
  { bytes: Buffer.from('#!'), kind: 'a script (#! line)' },
  { bytes: Buffer.from('!<arch>\ndebian-binary'), kind: 'a Debian package (.deb)' },
  { bytes: Buffer.from('!<arch>\n'), kind: 'an ar archive' },
  { bytes: Buffer.from([0xed, 0xab, 0xee, 0xdb]), kind: 'an RPM package' },
  {
    bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
    kind: 'a Windows Installer or Office file (OLE)',
  },
  { bytes: Buffer.from('PK\x03\x04', 'latin1'), kind: 'a ZIP archive' },
  { bytes: Buffer.from([0x1f, 0x8b]), kind: 'a gzip archive' },
  { bytes: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), kind: 'an xz archive' },
  { bytes: Buffer.from('%PDF'), kind: 'a PDF document' },
  { bytes: Buffer.from([0xca, 0xfe, 0xba, 0xbe]), kind: 'a macOS universal binary' },
  { bytes: Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), kind: 'a macOS Mach-O executable' },
];

/** What a file's first bytes look like, e.g. "a Windows PE executable (MZ header)". */
export function describeMagic(head: Buffer): string {
  if (head.length === 0) return 'an empty file';
  const match = SIGNATURES.find((signature) =>
    head.subarray(0, signature.bytes.length).equals(signature.bytes),
  );
  if (match !== undefined) return match.kind;
  const printable = [...head].every(
    (byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127),
  );
  return printable ? 'text without a #! line' : 'unrecognised binary data';
}

/** Evidence for a finding about a file's type: its first bytes in hex and what they look like. */
export function magicEvidence(head: Buffer): { firstBytesHex: string; looksLike: string } {
  return { firstBytesHex: head.subarray(0, 16).toString('hex'), looksLike: describeMagic(head) };
}
