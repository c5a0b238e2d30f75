import type { Location } from '../shared/errors.js';

/** A table for a job summary (GitHub) or a terminal (CLI). */
export interface SummaryTable {
  title: string;
  header: string[];
  rows: string[][];
}

/**
 * How the core talks to a person. The action shells map this onto @actions/core
 * (groups, annotations, job summary); the CLI onto the terminal.
 */
export interface Reporter {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, location?: Location): void;
  error(message: string, location?: Location): void;
  /** Run fn with its output folded under a title. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Append a table to the run's summary. */
  table(table: SummaryTable): void;
}

/** Collects everything; for tests and for quiet library use. */
export class MemoryReporter implements Reporter {
  readonly lines: Array<{ level: 'info' | 'debug' | 'warning' | 'error'; message: string; location?: Location }> = [];
  readonly tables: SummaryTable[] = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  warning(message: string, location?: Location): void {
    this.lines.push({ level: 'warning', message, location });
  }
  error(message: string, location?: Location): void {
    this.lines.push({ level: 'error', message, location });
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.info(`[group] ${title}`);
    return fn();
  }
  table(table: SummaryTable): void {
    this.tables.push(table);
  }
  messages(level: 'info' | 'debug' | 'warning' | 'error'): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}
