/** Words for sh/bash scripts the pipeline writes (build scripts, container commands). */

/** One word for sh, whatever it contains (left bare when it needs no quotes). */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_./:=+@%,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shJoin(words: readonly string[]): string {
  return words.map(shQuote).join(' ');
}
