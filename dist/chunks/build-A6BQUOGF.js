import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  checkPackageNames
} from "./chunk-WKQQPNT2.js";
import {
  bundleDiracos
} from "./chunk-XIVDPVIN.js";
import {
  testPlatforms
} from "./chunk-Q6FH3PDU.js";
import {
  selectPlatforms
} from "./chunk-IWVC4XSK.js";
import {
  bundleArtifactName
} from "./chunk-QS2AFWVT.js";
import "./chunk-HXO4IKDP.js";
import {
  bootstrapPython
} from "./chunk-GHRQQ4BQ.js";
import {
  buildRpms,
  packagesWithPython
} from "./chunk-DJNZVUEQ.js";
import "./chunk-WZYYDKA4.js";
import "./chunk-K5AXXNLF.js";
import {
  bundleTable,
  mebibytes,
  pipelineTable,
  pythonTable,
  requiredFailures
} from "./chunk-6K3VWHLR.js";
import "./chunk-MXW55USB.js";
import "./chunk-B737SU6O.js";
import "./chunk-OBK2APVA.js";
import "./chunk-IPZFQFHS.js";
import {
  cliContext,
  cliManifest
} from "./chunk-J5XC46QG.js";
import "./chunk-76TJA7O4.js";
import "./chunk-6GWKZRC5.js";
import {
  option
} from "./chunk-BRQLUY4V.js";
import {
  DiracosError
} from "./chunk-5I364NK5.js";

// src/pipeline/build.ts
import { join } from "node:path";
async function buildAll(ctx, m, opts = {}) {
  const { reporter } = ctx;
  const outcomes = /* @__PURE__ */ new Map();
  const stage = async (name, fn, detail) => {
    const start = process.hrtime.bigint();
    const took = () => Number(process.hrtime.bigint() - start) / 1e9;
    try {
      const r = await reporter.group(name, fn);
      outcomes.set(name, { result: "ok", seconds: took(), detail: detail(r) });
      return r;
    } catch (e) {
      outcomes.set(name, { result: "FAILED", seconds: took(), detail: (e?.message ?? String(e)).split("\n")[0] });
      throw e;
    }
  };
  try {
    const python = await stage("bootstrap-python", () => bootstrapPython(ctx, m, { lockTimeoutSeconds: opts.lockTimeoutSeconds }), (r) => `${r.rpm} (${r.cacheHit ? "cached" : "built"})`);
    reporter.table(pythonTable(python));
    const packages = await packagesWithPython(ctx, m);
    const rpms = await stage("build-rpms", () => buildRpms(ctx, m, { packages, only: opts.only, lockTimeoutSeconds: opts.lockTimeoutSeconds }), (r) => {
      const built = r.packages.filter((p) => p.status === "built").length;
      return `${r.packages.length} packages (${built} built, ${r.packages.length - built} cached)`;
    });
    const outDir = join(ctx.workdir, "bundle-diracos", "out");
    const bundle = await stage("bundle-diracos", () => bundleDiracos(ctx, m, { outDir, compression: opts.compression, force: opts.force, lockTimeoutSeconds: opts.lockTimeoutSeconds }), (r) => `${r.tarball} (${mebibytes(r.size)}${r.cached ? ", unchanged" : ""})`);
    const artifact = await ctx.artifacts.upload(bundleArtifactName(m), bundle.files, outDir);
    reporter.table(bundleTable(bundle, artifact));
    const tests = await stage(
      "test-platforms",
      async () => {
        const r = await testPlatforms(ctx, m, { tarball: bundle.tarball, platforms: opts.platforms, outDir: join(ctx.workdir, "test-platforms", "out"), force: opts.force });
        const failure = requiredFailures(r);
        if (failure) throw new DiracosError(failure);
        return r;
      },
      (r) => `${r.platforms.filter((p) => p.ok).length}/${r.platforms.length} platforms passed; ${r.junit}`
    );
    return { python, rpms, bundle, artifact, tests };
  } finally {
    reporter.table(pipelineTable(outcomes));
  }
}

// src/cli/commands/build.ts
async function run(p, reporter) {
  const m = cliManifest(p, reporter);
  const only = checkPackageNames(option.list(p, "only"), "--only", m);
  const platforms = selectPlatforms(m, option.list(p, "platform"), "--platform").map((pl) => pl.name);
  const compression = option.choice(p, "compression", ["gzip", "zstd"]);
  const ctx = await cliContext(p, reporter, m);
  const r = await buildAll(ctx, m, { only: only.length ? only : void 0, platforms, compression, force: p.values.force === true, lockTimeoutSeconds: option.seconds(p, "lock-timeout") });
  reporter.info(`DIRACOS ${m.manifest.version}: ${r.bundle.tarball} (sha256 ${r.bundle.sha256})`);
}
export {
  run
};
