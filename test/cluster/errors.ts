/** A failure of the local control plane with a one-line message that says what to do; `details` holds log lines to show below it. */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  readonly details: readonly string[];

  constructor(message: string, options: { cause?: unknown; details?: readonly string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? [];
  }
}
