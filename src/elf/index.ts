/** The ELF module: a pure reader, symbol-version helpers and an lddtree-like resolver. */
export * from './reader.js';
export * from './versions.js';
export * from './lddtree.js';
export { realpathInRoot, normalizeRootPath, hostPath } from './rootfs.js';
