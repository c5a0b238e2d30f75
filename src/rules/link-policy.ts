/**
 * Which targets of a symlink leaving the bundle may be copied into it from the build platform's root
 * (the link pass replaces such a link by a copy). Everything else is removed and listed in
 * brokenLinks.txt with the reason: nothing private, volatile or host-specific enters a bundle.
 */

export interface LinkCopyPolicy {
  /** Trees never copied from (and what they are). */
  forbiddenTrees: ReadonlyArray<{ path: string; why: string }>;
  /** Files never copied, by root-namespace path. */
  forbiddenFiles: ReadonlyArray<{ pattern: RegExp; why: string }>;
  /** Upper bound of one copy (a file, or a directory with everything in it). */
  maxBytes: number;
}

export const LINK_COPY_POLICY: LinkCopyPolicy = {
  forbiddenTrees: [
    { path: '/proc', why: 'kernel interface' },
    { path: '/sys', why: 'kernel interface' },
    { path: '/dev', why: 'devices' },
    { path: '/run', why: 'runtime state' },
    { path: '/var/run', why: 'runtime state' },
    { path: '/tmp', why: 'temporary files' },
    { path: '/var/tmp', why: 'temporary files' },
    { path: '/root', why: "root's home" },
    { path: '/home', why: 'home directories' },
    { path: '/boot', why: 'boot files' },
    { path: '/lost+found', why: 'file system recovery' },
  ],
  forbiddenFiles: [
    { pattern: /^\/etc\/(g?shadow|security\/opasswd|sudoers)(-|\.|$)/, why: 'password or privilege file' },
    { pattern: /\/private(\/|$)/, why: 'private key folder' },
    { pattern: /(_key|\.key)$/, why: 'key file' },
  ],
  maxBytes: 64 * 1024 * 1024,
};

/** Mode bits that must be set (world-readable; directories also world-searchable) and must not be. */
export const LINK_COPY_MODES = {
  file: { required: 0o004, refused: 0o002 },
  directory: { required: 0o005, refused: 0o002 },
} as const;

/** Why `rootPath` (root-namespace) may not be copied by name alone, or undefined. */
export function forbiddenTarget(rootPath: string, policy: LinkCopyPolicy = LINK_COPY_POLICY): string | undefined {
  if (rootPath === '/') return 'the whole root';
  for (const t of policy.forbiddenTrees) if (rootPath === t.path || rootPath.startsWith(`${t.path}/`)) return `under ${t.path} (${t.why})`;
  for (const f of policy.forbiddenFiles) if (f.pattern.test(rootPath)) return f.why;
  return undefined;
}

/** Why an entry of these mode bits may not be copied, or undefined. */
export function forbiddenMode(mode: number, isDirectory: boolean): string | undefined {
  const rule = isDirectory ? LINK_COPY_MODES.directory : LINK_COPY_MODES.file;
  if ((mode & rule.refused) !== 0) return `world-writable ${isDirectory ? 'directory' : 'file'} (${(mode & 0o7777).toString(8)})`;
  if ((mode & rule.required) !== rule.required) return `not world-readable (${(mode & 0o7777).toString(8)})`;
  if ((mode & 0o6000) !== 0) return `setuid/setgid (${(mode & 0o7777).toString(8)})`;
  return undefined;
}
