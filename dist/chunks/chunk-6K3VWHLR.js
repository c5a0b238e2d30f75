import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/pipeline/summaries.ts
var seconds = (s) => s.toFixed(0);
function mebibytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
function pythonTable(r) {
  return {
    title: "Python",
    header: ["version", "RPM", "cache", "key", "size", "seconds"],
    rows: [[r.version, r.rpm, r.cacheHit ? "hit" : "built", r.key, mebibytes(r.size), seconds(r.seconds)]]
  };
}
function bundleTable(r, artifact) {
  return {
    title: "Tarball",
    header: ["file", "status", "size", "sha256", "artifact"],
    rows: [[r.tarball, r.cached ? "cached (unchanged)" : "built", mebibytes(r.size), r.sha256, artifact ?? "not uploaded"]]
  };
}
function requiredFailures(r) {
  if (r.ok) return void 0;
  const failed = r.platforms.filter((p) => p.required && !p.ok).map((p) => p.name);
  return `required platform(s) failed: ${failed.join(", ") || "(see the report)"}; JUnit report: ${r.junit}`;
}
var PIPELINE_STAGES = ["bootstrap-python", "build-rpms", "bundle-diracos", "test-platforms"];
function pipelineTable(outcomes) {
  return {
    title: "DIRACOS build",
    header: ["stage", "result", "seconds", "detail"],
    rows: PIPELINE_STAGES.map((stage) => {
      const o = outcomes.get(stage);
      return o ? [stage, o.result, seconds(o.seconds), o.detail] : [stage, "not run", "-", "-"];
    })
  };
}

export {
  mebibytes,
  pythonTable,
  bundleTable,
  requiredFailures,
  pipelineTable
};
