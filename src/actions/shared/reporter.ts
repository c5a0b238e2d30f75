import * as core from '@actions/core';
import { relative, isAbsolute, sep } from 'node:path';
import type { Location } from '../../shared/errors.js';
import { ActivityBoard, Heartbeat, type Activity } from '../../reporting/progress.js';
import type { Reporter, SummaryTable } from '../../reporting/reporter.js';

/**
 * Annotation properties for a location. GitHub attaches annotations to files by their path
 * relative to the workspace, so absolute paths inside it are made relative.
 */
export function annotation(location: Location | undefined, title?: string): core.AnnotationProperties {
  if (!location) return { title };
  const workspace = process.env.GITHUB_WORKSPACE;
  let file = location.file;
  if (workspace && isAbsolute(file)) {
    const rel = relative(workspace, file);
    if (rel && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel)) file = rel;
  }
  return { title, file, startLine: location.line, startColumn: location.col };
}

/** core.summary writes cells and list items as HTML, unescaped: a message with `<` or `&` is text. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The Reporter of an action: log lines, annotations, folded groups and one job summary written at the
 * end; while a long step runs, a "still building openssl (3m 12s), log: ..." line every minute.
 */
export class ActionsReporter implements Reporter {
  private readonly tables: SummaryTable[] = [];
  private readonly notes: string[] = [];
  private readonly board = new ActivityBoard();
  private readonly heartbeat: Heartbeat;

  constructor(
    private readonly title: string,
    progressIntervalMs = 60_000,
  ) {
    this.heartbeat = new Heartbeat(this.board, (line) => core.info(line), progressIntervalMs);
  }

  info(message: string): void {
    core.info(message);
  }
  debug(message: string): void {
    core.debug(message);
  }
  warning(message: string, location?: Location): void {
    core.warning(message, annotation(location, this.title));
  }
  error(message: string, location?: Location): void {
    core.error(message, annotation(location, this.title));
  }
  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(title, fn);
  }
  table(table: SummaryTable): void {
    this.tables.push(table);
  }
  progress<T>(activity: Activity, fn: () => Promise<T>): Promise<T> {
    return this.board.track(activity, fn, () => this.heartbeat.update());
  }
  /** A line of text under the tables (e.g. where the output went). */
  note(text: string): void {
    this.notes.push(text);
  }

  /** Writes the job summary once; a no-op outside a runner (no GITHUB_STEP_SUMMARY). */
  async flush(): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY || (this.tables.length === 0 && this.notes.length === 0)) return;
    core.summary.addHeading(this.title, 2);
    for (const t of this.tables) {
      core.summary.addHeading(t.title, 3);
      core.summary.addTable([t.header.map((data) => ({ data: escapeHtml(data), header: true })), ...t.rows.map((r) => r.map(escapeHtml))]);
      if (t.notes?.length) core.summary.addList(t.notes.map(escapeHtml));
    }
    for (const n of this.notes) core.summary.addRaw(n, true);
    await core.summary.write();
    this.tables.length = 0;
    this.notes.length = 0;
  }
}
