/**
 * Which layer of an image brought a package or a file. A seller must see at a glance whether a
 * problem is theirs (the installer's layer) or came with the base (or gold) image.
 */
export interface LayerOrigin {
  /** 0 for the lowest layer. */
  readonly index: number;
  /** The layer's digest (`sha256:...`) when it is a stored or archived layer, else null. */
  readonly digest: string | null;
  /**
   * `base`: the base or gold image the installer ran on; `installer`: the installer's own layer;
   * null when the image does not say (a third-party image's layers).
   */
  readonly role: 'base' | 'installer' | null;
}

/** Describes a layer in words, for tables and messages: `installer layer`, `base layer 2`. */
export function describeLayer(origin: LayerOrigin): string {
  if (origin.role === 'installer') return 'installer layer';
  if (origin.role === 'base') return 'base image';
  return `layer ${origin.index + 1}`;
}
