/** Where in an input file something is wrong (1-based line and column). */
export interface Location {
  file: string;
  line?: number;
  col?: number;
}

/**
 * An error the user can act on: it names the file, key or package at fault.
 * Anything else that escapes is a bug in this project.
 */
export class DiracosError extends Error {
  constructor(
    message: string,
    readonly location?: Location,
  ) {
    super(message);
    this.name = 'DiracosError';
  }

  /** The CLI's exit status for this error (1 unless a command documents another). */
  cliStatus = 1;
}

/** Several problems found in one pass (e.g. manifest validation), reported together. */
export class DiracosErrors extends DiracosError {
  constructor(
    readonly problems: ReadonlyArray<{ message: string; location?: Location }>,
    summary = `${problems.length} problem(s)`,
  ) {
    super(`${summary}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'DiracosErrors';
  }
}

export function formatLocation(loc: Location): string {
  return [loc.file, loc.line, loc.col].filter((x) => x !== undefined).join(':');
}

export function formatProblem(p: { message: string; location?: Location }): string {
  return p.location ? `${formatLocation(p.location)}: ${p.message}` : p.message;
}
