import { formatLocation, type Location } from '../shared/errors.js';
import type { Reporter, SummaryTable } from '../reporting/reporter.js';

export interface TerminalOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Short coloured status lines and group headers; otherwise plain prefixed log lines. */
  tty: boolean;
  verbose: boolean;
}

const STYLE = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;

/** The CLI's Reporter: groups become headers with a closing status line, tables are aligned columns. */
export class TerminalReporter implements Reporter {
  private depth = 0;
  constructor(private readonly o: TerminalOptions) {}

  private paint(style: keyof typeof STYLE, text: string): string {
    return this.o.tty ? `\x1b[${STYLE[style]}m${text}\x1b[0m` : text;
  }
  private line(stream: NodeJS.WritableStream, text: string): void {
    const indent = '  '.repeat(this.depth);
    stream.write(text.split('\n').map((l) => indent + l).join('\n') + '\n');
  }

  info(message: string): void {
    this.line(this.o.out, message);
  }
  debug(message: string): void {
    if (this.o.verbose) this.line(this.o.out, this.paint('dim', this.o.tty ? message : `debug: ${message}`));
  }
  warning(message: string, location?: Location): void {
    this.line(this.o.err, `${this.paint('yellow', 'warning:')} ${where(location)}${message}`);
  }
  error(message: string, location?: Location): void {
    this.line(this.o.err, `${this.paint('red', 'error:')} ${where(location)}${message}`);
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.line(this.o.out, this.o.tty ? this.paint('bold', `==> ${title}`) : `--- ${title}`);
    const start = process.hrtime.bigint();
    this.depth++;
    let ok = false;
    try {
      const value = await fn();
      ok = true;
      return value;
    } finally {
      this.depth--;
      const took = `${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)}s`;
      if (this.o.tty) this.line(this.o.out, ok ? this.paint('green', `✓ ${title} (${took})`) : this.paint('red', `✗ ${title} (${took})`));
      else this.line(this.o.out, `--- ${ok ? 'done' : 'FAILED'}: ${title} (${took})`);
    }
  }

  table(table: SummaryTable): void {
    this.line(this.o.out, `${this.paint('cyan', table.title)}\n${renderTable(table)}`);
  }
}

function where(location: Location | undefined): string {
  return location ? `${formatLocation(location)}: ` : '';
}

/** Aligned columns, a rule under the header; cells are padded to the widest in their column. */
export function renderTable(table: SummaryTable): string {
  const rows = [table.header, ...table.rows];
  const widths = table.header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string =>
    widths
      .map((w, i) => (r[i] ?? '').padEnd(w))
      .join('  ')
      .trimEnd();
  return [fmt(table.header), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(fmt)].join('\n');
}
