/** Typed errors of the node agent; each carries the CamelCase reason a container status shows. */

/** A container cannot be configured yet (missing Secret or ConfigMap, unsupported field); retried with back-off. */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
  readonly reason = 'CreateContainerConfigError';
}

/** A container cannot be created on this host (unknown image, missing entry point). */
export class ContainerCreateError extends Error {
  override readonly name = 'ContainerCreateError';
  constructor(
    readonly reason: 'ErrImagePull' | 'CreateContainerError',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A Pod's sandbox (directories, volumes, token) could not be prepared; retried with back-off. */
export class PodSetupError extends Error {
  override readonly name = 'PodSetupError';
  readonly reason = 'ContainerCreating';
}
