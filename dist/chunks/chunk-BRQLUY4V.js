import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/cli/args.ts
import { parseArgs } from "node:util";
var UsageError = class extends DiracosError {
  constructor(message, command, seeHelp = false) {
    super(message);
    this.command = command;
    this.seeHelp = seeHelp;
    this.name = "UsageError";
  }
  command;
  seeHelp;
};
var OPTIONS = {
  manifest: { type: "string", short: "m", default: "diracos.yaml", value: "FILE", help: "the DIRACOS manifest" },
  workdir: { type: "string", short: "w", default: ".work", value: "DIR", help: "scratch and output folder" },
  jobs: { type: "string", short: "j", value: "N", count: true, help: "parallel jobs (default: number of CPUs)" },
  runtime: { type: "string", default: "auto", value: "auto|podman|docker|host", help: "where builds and tests run" },
  "cache-dir": { type: "string", value: "DIR", help: "cache between runs (default: $XDG_CACHE_HOME/diracos or ~/.cache/diracos)" },
  only: { type: "string", value: "a,b", help: "build only these packages (with what they need)" },
  backend: { type: "string", value: "container|mock", help: "build backend (default: the manifest's)" },
  compression: { type: "string", value: "gzip|zstd", help: "tarball compression (default: the manifest's)" },
  platform: { type: "string", value: "NAME[,NAME]", help: "test these platforms only (default: all)" },
  tarball: { type: "string", value: "FILE", help: "tarball to test (default: the one `diracos bundle` made)" },
  output: { type: "string", short: "o", value: "FILE", help: "write the converted manifest here (default: standard output)" },
  check: { type: "boolean", help: "only list the sources without a sha256; exit 3 when there is one (nothing is downloaded or written)" },
  extends: {
    type: "string",
    value: "TARBALL",
    help: "make an extension of this base DIRACOS tarball instead of the bundle: the base plus the manifest's bundle.pip requirements (needs --extension-name)"
  },
  "extension-name": { type: "string", value: "NAME", help: "with --extends: the name prepended to the tarball (NAMEdiracos-<version>-<arch>.tar.gz) and its artifact" },
  force: { type: "boolean", help: "make the tarball and test every platform again even when their inputs did not change" },
  "lock-timeout": {
    type: "string",
    value: "SECONDS",
    seconds: true,
    help: "when another run holds the work folder or the repository: wait at most this long, 0 to fail at once (default: wait, saying so every minute)"
  },
  verbose: { type: "boolean", short: "v", help: "show debug lines" },
  help: { type: "boolean", short: "h", help: "show this help" }
};
var RUN = ["manifest", "workdir", "jobs", "runtime", "cache-dir", "verbose", "help"];
var COMMANDS = {
  validate: { summary: "check the manifest and print what it describes", options: ["manifest", "verbose", "help"] },
  lock: {
    summary: "download every source without a sha256 and write its sha256 into the manifest (comments and layout kept)",
    options: ["manifest", "cache-dir", "check", "verbose", "help"]
  },
  "bootstrap-python": { summary: "build (or restore) the CPython RPM", options: [...RUN, "backend", "lock-timeout"] },
  "build-rpms": { summary: "build the packages into the RPM repository", options: [...RUN, "only", "backend", "lock-timeout"] },
  bundle: { summary: "make the relocatable DIRACOS tarball from the repository (or, with --extends, an extension of a base tarball)", options: [...RUN, "compression", "force", "extends", "extension-name", "lock-timeout"] },
  "test-platforms": { summary: "check the tarball on every platform", options: [...RUN, "tarball", "platform", "force"] },
  build: {
    summary: "all stages in order: bootstrap-python, build-rpms, bundle, test-platforms",
    options: [...RUN, "only", "backend", "compression", "platform", "force", "lock-timeout"]
  },
  "import-v1": {
    summary: "convert a DIRACOS v1 configuration (config/diracos.json) into a commented diracos.yaml",
    options: ["output", "verbose", "help"],
    argument: { name: "CONFIG", help: "DIRACOS v1's configuration, e.g. config/diracos.json" }
  }
};
function argumentOf(command) {
  const c = COMMANDS[command];
  return "argument" in c ? c.argument : void 0;
}
function usage() {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "usage: diracos <command> [options]",
    "",
    "commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "'diracos <command> --help' lists the command's options."
  ].join("\n");
}
function commandHelp(command) {
  const rows = COMMANDS[command].options.map((name) => {
    const o = OPTIONS[name];
    const flag = `${"short" in o ? `-${o.short}, ` : "    "}--${name}${"value" in o ? ` ${o.value}` : ""}`;
    return { flag, help: o.help + ("default" in o ? ` (default: ${o.default})` : "") };
  });
  const argument = argumentOf(command);
  if (argument) rows.unshift({ flag: argument.name, help: argument.help });
  const width = Math.max(...rows.map((r) => r.flag.length));
  return [
    `usage: diracos ${command} [options]${argument ? ` ${argument.name}` : ""}`,
    "",
    COMMANDS[command].summary,
    "",
    argument ? "arguments and options:" : "options:",
    ...rows.map((r) => `  ${r.flag.padEnd(width)}  ${r.help}`)
  ].join("\n");
}
function parseCommandLine(argv) {
  const [command, ...rest] = argv;
  if (command === void 0 || command === "--help" || command === "-h" || command === "help") return "help";
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command '${command}'`, void 0, true);
  const name = command;
  const allowed = COMMANDS[name].options;
  const options = Object.fromEntries(
    allowed.map((o) => {
      const spec = OPTIONS[o];
      return [o, { type: spec.type, ..."short" in spec ? { short: spec.short } : {}, ..."default" in spec ? { default: spec.default } : {} }];
    })
  );
  const { values, tokens } = parseArgs({ args: rest, options, strict: false, allowPositionals: true, tokens: true });
  const argument = argumentOf(name);
  let given;
  for (const t of tokens) {
    if (t.kind === "positional") {
      if (!argument || given !== void 0) throw new UsageError(`unexpected argument '${t.value}'`, name, true);
      given = t.value;
      continue;
    }
    if (t.kind !== "option") continue;
    if (!allowed.includes(t.name)) throw new UsageError(`unknown option '${t.rawName}'`, name, true);
    const o = t.name;
    if (OPTIONS[o].type === "boolean") {
      if (t.value !== void 0) throw new UsageError(`--${o}: takes no value, got '${t.value}'`, name);
    } else if (t.value === void 0 || t.value === "") {
      throw new UsageError(`--${o}: a value is required`, name);
    } else if (!t.inlineValue && t.value.startsWith("-")) {
      throw new UsageError(`--${o}: a value is required, got the option '${t.value}' (write --${o}=${t.value} if it is the value)`, name);
    }
  }
  const parsed = { command: name, values, ...given !== void 0 ? { argument: given } : {} };
  if (argument && given === void 0 && !parsed.values.help) throw new UsageError(`${argument.name}: an argument is required (${argument.help})`, name, true);
  for (const o of allowed) if ("count" in OPTIONS[o]) option.int(parsed, o);
  for (const o of allowed) if ("seconds" in OPTIONS[o]) option.seconds(parsed, o);
  return parsed;
}
var option = {
  string(p, name) {
    const v = p.values[name];
    return typeof v === "string" && v !== "" ? v : void 0;
  },
  int(p, name) {
    const v = option.string(p, name);
    if (v === void 0) return void 0;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name}: expected a whole number >= 1, got '${v}'`, p.command);
    return Number(v);
  },
  seconds(p, name) {
    const v = option.string(p, name);
    if (v === void 0) return void 0;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${name}: expected a whole number of seconds (0 or more), got '${v}'`, p.command);
    return Number(v);
  },
  choice(p, name, choices) {
    const v = option.string(p, name);
    if (v === void 0) return void 0;
    if (!choices.includes(v)) throw new UsageError(`--${name}: expected one of ${choices.join(", ")}, got '${v}'`, p.command);
    return v;
  },
  list(p, name) {
    return (option.string(p, name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  }
};

export {
  UsageError,
  COMMANDS,
  usage,
  commandHelp,
  parseCommandLine,
  option
};
