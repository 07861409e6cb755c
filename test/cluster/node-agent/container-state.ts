/** The observable state of one container, as the agent reports it in the Pod's status. */

/** Waiting to start: pulling (never, here), backing off, or misconfigured. */
export interface WaitingState {
  readonly kind: 'waiting';
  readonly reason: string;
  readonly message?: string;
}

/** The process runs. */
export interface RunningState {
  readonly kind: 'running';
  readonly startedAt: Date;
}

/** The process ended. */
export interface TerminatedState {
  readonly kind: 'terminated';
  readonly exitCode: number;
  readonly reason: string;
  readonly message?: string;
  readonly signal?: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** One of the three container states. */
export type ContainerState = WaitingState | RunningState | TerminatedState;

/** Everything the status builder needs to know about a container. */
export interface ContainerSnapshot {
  readonly name: string;
  readonly image: string;
  readonly state: ContainerState;
  readonly lastState: TerminatedState | undefined;
  readonly restartCount: number;
  readonly ready: boolean;
  readonly started: boolean;
  /** Set once the container will not run again (terminated under its restart policy, or stopped). */
  readonly done: boolean;
  readonly containerID: string | undefined;
}
