import { formatLocation, type Location } from '../shared/errors.js';
import { ActivityBoard, Heartbeat, statusLine, type Activity } from '../reporting/progress.js';
import type { Reporter, SummaryTable } from '../reporting/reporter.js';

export interface TerminalOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Short coloured status lines and group headers; otherwise plain prefixed log lines. */
  tty: boolean;
  verbose: boolean;
  /**
   * Long steps: on a terminal the status line is redrawn this often (default 1 s); off a terminal a
   * "still ..." line is written this often (default 60 s).
   */
  progressIntervalMs?: number;
}

const CLEAR_LINE = '\r\x1b[K';

const STYLE = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;

/**
 * The CLI's Reporter: groups become headers with a closing status line, tables are aligned columns.
 * Long steps: on a terminal a status line below the output, rewritten every second (what runs, for
 * how long, the live log); off a terminal a "still ..." line every minute.
 */
export class TerminalReporter implements Reporter {
  private depth = 0;
  private readonly board = new ActivityBoard();
  private readonly heartbeat: Heartbeat;
  private status = '';
  private repaintTimer: NodeJS.Timeout | undefined;
  constructor(private readonly o: TerminalOptions) {
    this.heartbeat = new Heartbeat(this.board, (l) => this.info(l), o.progressIntervalMs ?? 60_000);
  }

  private paint(style: keyof typeof STYLE, text: string): string {
    return this.o.tty ? `\x1b[${STYLE[style]}m${text}\x1b[0m` : text;
  }
  private line(stream: NodeJS.WritableStream, text: string): void {
    const indent = '  '.repeat(this.depth);
    const status = this.status;
    if (status) this.clearStatus();
    stream.write(text.split('\n').map((l) => indent + l).join('\n') + '\n');
    if (status) this.paintStatus();
  }

  private clearStatus(): void {
    this.o.out.write(CLEAR_LINE);
    this.status = '';
  }
  private paintStatus(): void {
    const width = (this.o.out as NodeJS.WriteStream).columns || 100;
    const text = statusLine(this.board.list(), this.board.clock(), width - 1);
    if (text === this.status) return;
    this.o.out.write(CLEAR_LINE + this.paint('dim', text));
    this.status = text;
  }
  /** The board changed: start, redraw or stop the status line (terminal) or the heartbeat (log). */
  private activitiesChanged(): void {
    if (!this.o.tty) return this.heartbeat.update();
    if (this.board.size === 0) {
      if (this.repaintTimer) clearInterval(this.repaintTimer);
      this.repaintTimer = undefined;
      if (this.status) this.clearStatus();
      return;
    }
    this.paintStatus();
    if (!this.repaintTimer) {
      this.repaintTimer = setInterval(() => this.paintStatus(), this.o.progressIntervalMs ?? 1000);
      this.repaintTimer.unref();
    }
  }

  progress<T>(activity: Activity, fn: () => Promise<T>): Promise<T> {
    return this.board.track(activity, fn, () => this.activitiesChanged());
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
    const notes = table.notes?.length ? `\n${table.notes.join('\n')}` : '';
    this.line(this.o.out, `${this.paint('cyan', table.title)}\n${renderTable(table)}${notes}`);
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
