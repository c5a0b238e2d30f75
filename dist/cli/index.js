#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  systemFailure
} from "../chunks/chunk-HXO4IKDP.js";
import {
  ActivityBoard,
  Heartbeat,
  statusLine
} from "../chunks/chunk-B737SU6O.js";
import {
  COMMANDS,
  UsageError,
  commandHelp,
  parseCommandLine,
  usage
} from "../chunks/chunk-BRQLUY4V.js";
import {
  DiracosError,
  DiracosErrors,
  formatLocation,
  formatProblem
} from "../chunks/chunk-5I364NK5.js";

// src/cli/main.ts
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

// src/cli/terminal.ts
var CLEAR_LINE = "\r\x1B[K";
var STYLE = { bold: "1", dim: "2", red: "31", green: "32", yellow: "33", cyan: "36" };
var TerminalReporter = class {
  constructor(o) {
    this.o = o;
    this.heartbeat = new Heartbeat(this.board, (l) => this.info(l), o.progressIntervalMs ?? 6e4);
  }
  o;
  depth = 0;
  board = new ActivityBoard();
  heartbeat;
  status = "";
  repaintTimer;
  paint(style, text) {
    return this.o.tty ? `\x1B[${STYLE[style]}m${text}\x1B[0m` : text;
  }
  line(stream, text) {
    const indent = "  ".repeat(this.depth);
    const status = this.status;
    if (status) this.clearStatus();
    stream.write(text.split("\n").map((l) => indent + l).join("\n") + "\n");
    if (status) this.paintStatus();
  }
  clearStatus() {
    this.o.out.write(CLEAR_LINE);
    this.status = "";
  }
  paintStatus() {
    const width = this.o.out.columns || 100;
    const text = statusLine(this.board.list(), this.board.clock(), width - 1);
    if (text === this.status) return;
    this.o.out.write(CLEAR_LINE + this.paint("dim", text));
    this.status = text;
  }
  /** The board changed: start, redraw or stop the status line (terminal) or the heartbeat (log). */
  activitiesChanged() {
    if (!this.o.tty) return this.heartbeat.update();
    if (this.board.size === 0) {
      if (this.repaintTimer) clearInterval(this.repaintTimer);
      this.repaintTimer = void 0;
      if (this.status) this.clearStatus();
      return;
    }
    this.paintStatus();
    if (!this.repaintTimer) {
      this.repaintTimer = setInterval(() => this.paintStatus(), this.o.progressIntervalMs ?? 1e3);
      this.repaintTimer.unref();
    }
  }
  progress(activity, fn) {
    return this.board.track(activity, fn, () => this.activitiesChanged());
  }
  info(message) {
    this.line(this.o.out, message);
  }
  debug(message) {
    if (this.o.verbose) this.line(this.o.out, this.paint("dim", this.o.tty ? message : `debug: ${message}`));
  }
  warning(message, location) {
    this.line(this.o.err, `${this.paint("yellow", "warning:")} ${where(location)}${message}`);
  }
  error(message, location) {
    this.line(this.o.err, `${this.paint("red", "error:")} ${where(location)}${message}`);
  }
  async group(title, fn) {
    this.line(this.o.out, this.o.tty ? this.paint("bold", `==> ${title}`) : `--- ${title}`);
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
      if (this.o.tty) this.line(this.o.out, ok ? this.paint("green", `\u2713 ${title} (${took})`) : this.paint("red", `\u2717 ${title} (${took})`));
      else this.line(this.o.out, `--- ${ok ? "done" : "FAILED"}: ${title} (${took})`);
    }
  }
  table(table) {
    const notes = table.notes?.length ? `
${table.notes.join("\n")}` : "";
    this.line(this.o.out, `${this.paint("cyan", table.title)}
${renderTable(table)}${notes}`);
  }
};
function where(location) {
  return location ? `${formatLocation(location)}: ` : "";
}
function renderTable(table) {
  const rows = [table.header, ...table.rows];
  const widths = table.header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r) => widths.map((w, i) => (r[i] ?? "").padEnd(w)).join("  ").trimEnd();
  return [fmt(table.header), widths.map((w) => "-".repeat(w)).join("  "), ...table.rows.map(fmt)].join("\n");
}

// src/cli/main.ts
var LOADERS = {
  validate: () => import("../chunks/validate-TDWFPGJ5.js"),
  lock: () => import("../chunks/lock-PKPTXPRH.js"),
  "bootstrap-python": () => import("../chunks/bootstrap-python-V46QNCUZ.js"),
  "build-rpms": () => import("../chunks/build-rpms-WE5AWPSM.js"),
  bundle: () => import("../chunks/bundle-4L4VHUZ3.js"),
  "test-platforms": () => import("../chunks/test-platforms-X55YXEWZ.js"),
  build: () => import("../chunks/build-A6BQUOGF.js"),
  "import-v1": () => import("../chunks/import-v1-62IAF2R3.js")
};
async function main(argv, io = { out: process.stdout, err: process.stderr }) {
  const prog = argv[0] !== void 0 && Object.hasOwn(COMMANDS, argv[0]) ? `diracos ${argv[0]}` : "diracos";
  try {
    const parsed = parseCommandLine(argv);
    if (parsed === "help") {
      io.out.write(usage() + "\n");
      return 0;
    }
    if (parsed.values.help) {
      io.out.write(commandHelp(parsed.command) + "\n");
      return 0;
    }
    const reporter = new TerminalReporter({ out: io.out, err: io.err, tty: Boolean(io.out.isTTY), verbose: Boolean(parsed.values.verbose) });
    const command = await LOADERS[parsed.command]();
    await command.run(parsed, reporter);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`${prog}: ${e.message}${e.seeHelp ? ` (see ${prog} --help)` : ""}
`);
      return 1;
    }
    if (e instanceof DiracosErrors) {
      for (const p of e.problems) io.err.write(formatProblem(p) + "\n");
      io.err.write(`${prog}: ${e.message.split("\n")[0].replace(/:$/, "")}
`);
      return 1;
    }
    if (e instanceof DiracosError) {
      io.err.write((e.location ? formatProblem({ message: e.message, location: e.location }) : `${prog}: ${e.message}`) + "\n");
      return e.cliStatus;
    }
    const system = systemFailure(e, prog);
    if (system) {
      io.err.write(`${system.message}
`);
      return 1;
    }
    io.err.write(`${prog}: internal error (a bug, please report it):
${e?.stack ?? String(e)}
`);
    return 2;
  }
}
function exitOnBrokenPipe(stream) {
  stream.on("error", (e) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(141);
  });
}
function isProgram() {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
if (isProgram()) {
  exitOnBrokenPipe(process.stdout);
  exitOnBrokenPipe(process.stderr);
  process.exitCode = await main(process.argv.slice(2));
}
export {
  main
};
