/**
 * Splits a decoded output stream into lines for a callback. Trailing `\r`s (CRLF output, and a
 * terminal's on top) are dropped; a last line without a newline is delivered by `end`.
 */
export class OutputLines {
  private pending = '';

  constructor(private readonly onLine: (text: string) => void) {}

  /** Adds decoded text; delivers each line it completes. */
  push(chunk: string): void {
    this.pending += chunk;
    let newline = this.pending.indexOf('\n');
    while (newline >= 0) {
      this.onLine(this.pending.slice(0, newline).replace(/\r+$/, ''));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
  }

  /** Delivers the partial last line, if any. */
  end(): void {
    if (this.pending !== '') this.onLine(this.pending.replace(/\r+$/, ''));
    this.pending = '';
  }
}
