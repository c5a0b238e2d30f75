/** N from an RPM file name N-V-R.A.rpm (a built RPM's, or one in the repository), or from N-V-R.A. */
export function rpmNameOfFile(fileName: string): string {
  return fileName.replace(/\.rpm$/, '').split('-').slice(0, -2).join('-');
}
