import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/reporting/progress.ts
var ActivityBoard = class {
  constructor(clock = Date.now) {
    this.clock = clock;
  }
  clock;
  next = 0;
  running = /* @__PURE__ */ new Map();
  start(a) {
    const id = this.next++;
    this.running.set(id, { ...a, id, since: this.clock() });
    return id;
  }
  end(id) {
    this.running.delete(id);
  }
  list() {
    return [...this.running.values()];
  }
  get size() {
    return this.running.size;
  }
  /** Runs fn as `a`; `changed` is called after it started and after it ended. */
  async track(a, fn, changed = () => void 0) {
    const id = this.start(a);
    changed();
    try {
      return await fn();
    } finally {
      this.end(id);
      changed();
    }
  }
};
function formatElapsed(ms) {
  const s = Math.max(0, Math.floor(ms / 1e3));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}
function describe(a, now) {
  return `${a.what} (${formatElapsed(now - a.since)})${a.log ? `, log: ${a.log}` : ""}`;
}
function stillLine(a, now) {
  return `still ${describe(a, now)}`;
}
function statusLine(running, now, width) {
  if (running.length === 0) return "";
  const sorted = [...running].sort((a, b) => a.since - b.since);
  const [first, ...rest] = sorted;
  const text = [describe(first, now), ...rest.map((a) => `${a.what} (${formatElapsed(now - a.since)})`)].join(" | ");
  const line = `\u2026 ${text}`;
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}\u2026`;
}
var Heartbeat = class {
  constructor(board, emit, intervalMs = 6e4) {
    this.board = board;
    this.emit = emit;
    this.intervalMs = intervalMs;
  }
  board;
  emit;
  intervalMs;
  timer;
  /** Call when the board changed: the timer runs exactly while something runs. */
  update() {
    if (this.board.size > 0 && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    } else if (this.board.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = void 0;
    }
  }
  tick() {
    const now = this.board.clock();
    for (const a of this.board.list()) if (now - a.since >= this.intervalMs) this.emit(stillLine(a, now));
  }
};

export {
  ActivityBoard,
  formatElapsed,
  statusLine,
  Heartbeat
};
