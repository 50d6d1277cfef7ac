/** A profile that cannot be read: names the file and, where it applies, the line. */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'ProfileError';
  }
}
