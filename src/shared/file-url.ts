/**
 * A `file://` URL of an absolute path, each component percent-encoded: dnf's `--repofrompath=id,url`
 * splits on `,`, and librepo reads a space or a `:` as the end of the path; `%XX` it decodes.
 */
export function fileUrl(path: string): string {
  if (!path.startsWith('/')) throw new Error(`fileUrl: not an absolute path: ${path}`);
  return `file://${path.split('/').map(encodeURIComponent).join('/')}`;
}
