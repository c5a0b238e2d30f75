import * as core from '@actions/core';
import { relative, isAbsolute, sep } from 'node:path';
import type { Location } from '../../shared/errors.js';
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

/** The Reporter of an action: log lines, annotations, folded groups and one job summary written at the end. */
export class ActionsReporter implements Reporter {
  private readonly tables: SummaryTable[] = [];
  private readonly notes: string[] = [];

  constructor(private readonly title: string) {}

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
      core.summary.addTable([t.header.map((data) => ({ data, header: true })), ...t.rows]);
    }
    for (const n of this.notes) core.summary.addRaw(n, true);
    await core.summary.write();
    this.tables.length = 0;
    this.notes.length = 0;
  }
}
