/** Why a scan source could not be opened or a layer of it not extracted. */
export type ScanSourceProblem =
  | 'not-found'
  | 'not-a-tar'
  | 'malformed'
  | 'unsupported-media-type'
  | 'ambiguous-index'
  | 'missing-blob'
  | 'digest-mismatch'
  | 'unsafe-entry'
  | 'no-image-store'
  | 'image-not-found';

/** `goldsmith scan PATH` cannot use PATH; the message names PATH and what is wrong with it. */
export class ScanSourceError extends Error {
  constructor(
    /** The PATH or image id as the user gave it. */
    readonly spec: string,
    readonly problem: ScanSourceProblem,
    detail: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`${spec}: ${detail}`, options);
    this.name = 'ScanSourceError';
  }
}
