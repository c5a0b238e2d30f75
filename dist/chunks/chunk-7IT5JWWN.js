import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/build-rpms/shell.ts
function shQuote(word) {
  return /^[A-Za-z0-9_./:=+@%,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
function shJoin(words) {
  return words.map(shQuote).join(" ");
}
function rpmOptions(p, tool) {
  return [
    ...Object.entries(p.defines).sort(([a], [b]) => a.localeCompare(b)).flatMap(([k, v]) => ["--define", `${k} ${v}`]),
    ...p.with.flatMap((w) => ["--with", w]),
    ...p.without.flatMap((w) => ["--without", w]),
    ...tool === "rpmbuild" && !p.check ? ["--nocheck"] : []
  ];
}

export {
  shQuote,
  shJoin,
  rpmOptions
};
