/**
 * Long steps (a compile, pip, a platform's tests) shown while they run: what, for how long, where its
 * live log is. A terminal rewrites one status line (src/cli/terminal.ts); a log read later (CI, a
 * pipe) gets a "still ..." line per step every minute (Heartbeat).
 */

/** A long step: `what` reads after "still" ("building openssl"); `log` is the file its output goes to as it runs. */
export interface Activity {
  what: string;
  log?: string;
}

export interface RunningActivity extends Activity {
  id: number;
  /** Start, in the board's clock (ms). */
  since: number;
}

/** The activities running now. */
export class ActivityBoard {
  private next = 0;
  private readonly running = new Map<number, RunningActivity>();
  constructor(readonly clock: () => number = Date.now) {}

  start(a: Activity): number {
    const id = this.next++;
    this.running.set(id, { ...a, id, since: this.clock() });
    return id;
  }
  end(id: number): void {
    this.running.delete(id);
  }
  list(): RunningActivity[] {
    return [...this.running.values()];
  }
  get size(): number {
    return this.running.size;
  }

  /** Runs fn as `a`; `changed` is called after it started and after it ended. */
  async track<T>(a: Activity, fn: () => Promise<T>, changed: () => void = () => undefined): Promise<T> {
    const id = this.start(a);
    changed();
    try {
      return await fn();
    } finally {
      this.end(id);
      changed();
    }
  }
}

/** 42s, 3m 12s, 1h 05m. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

function describe(a: RunningActivity, now: number): string {
  return `${a.what} (${formatElapsed(now - a.since)})${a.log ? `, log: ${a.log}` : ''}`;
}

/** The periodic line of a log: `still building openssl (3m 12s), log: <file>`. */
export function stillLine(a: RunningActivity, now: number): string {
  return `still ${describe(a, now)}`;
}

/**
 * A terminal's status line: every running step, the oldest first, cut to `width` columns
 * (the oldest step's log path is what a user most often wants, so it comes first).
 */
export function statusLine(running: readonly RunningActivity[], now: number, width: number): string {
  if (running.length === 0) return '';
  const sorted = [...running].sort((a, b) => a.since - b.since);
  const [first, ...rest] = sorted;
  const text = [describe(first!, now), ...rest.map((a) => `${a.what} (${formatElapsed(now - a.since)})`)].join(' | ');
  const line = `… ${text}`;
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/** Every `intervalMs` while steps run: one "still ..." line per step that has run that long. */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly board: ActivityBoard,
    private readonly emit: (line: string) => void,
    readonly intervalMs = 60_000,
  ) {}

  /** Call when the board changed: the timer runs exactly while something runs. */
  update(): void {
    if (this.board.size > 0 && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    } else if (this.board.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  tick(): void {
    const now = this.board.clock();
    for (const a of this.board.list()) if (now - a.since >= this.intervalMs) this.emit(stillLine(a, now));
  }
}
