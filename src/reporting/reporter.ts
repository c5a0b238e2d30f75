import type { Location } from '../shared/errors.js';
import type { Activity } from './progress.js';

export type { Activity } from './progress.js';

/** A table for a job summary (GitHub) or a terminal (CLI). */
export interface SummaryTable {
  title: string;
  header: string[];
  /** Short cells ("1 failed"): what does not fit a cell goes into notes. */
  rows: string[][];
  /** Lines shown below the table (details of its cells). */
  notes?: string[];
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
  /**
   * Runs fn as a long step the user sees progress of while it runs: what it is, for how long, its live
   * log (a rewritten status line on a terminal, a "still ..." line every minute in CI logs).
   */
  progress<T>(activity: Activity, fn: () => Promise<T>): Promise<T>;
}

/** Collects everything; for tests and for quiet library use. */
export class MemoryReporter implements Reporter {
  readonly lines: Array<{ level: 'info' | 'debug' | 'warning' | 'error'; message: string; location?: Location }> = [];
  readonly tables: SummaryTable[] = [];
  /** Every activity started, in order. */
  readonly activities: Activity[] = [];
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
  progress<T>(activity: Activity, fn: () => Promise<T>): Promise<T> {
    this.activities.push(activity);
    return fn();
  }
  messages(level: 'info' | 'debug' | 'warning' | 'error'): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}
