// The documented bounds on goals; see docs/pxl-language.md.

/** Bounds every goal must respect before any work is done on it. */
export const goalLimits = {
  /** The longest goal in UTF-16 code units: the CRD's cap on `spec.goal` (16 KiB). */
  maxLength: 16_384,
  /** The deepest nesting: formula tree depth and open parentheses, each. */
  maxDepth: 256,
  /** The largest kernel translation, in formula nodes after expanding `<->` (which doubles its operands). */
  maxTranslatedNodes: 100_000,
} as const;
