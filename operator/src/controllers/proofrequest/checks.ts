// The semantic checks before dispatch: an ordered list of small pure functions, each (reason, message) or nothing.

/** What the checks look at: the request's core as the cache shows it. */
export interface CheckInput {
  readonly coreName: string;
  /** The core's Ready condition; undefined when the core does not exist. */
  readonly core: { readonly ready: boolean; readonly readyMessage: string } | undefined;
}

/** Why a request cannot be dispatched yet. */
export interface Blocker {
  readonly reason: string;
  readonly message: string;
}

type Check = (input: CheckInput) => Blocker | undefined;

const checkCoreExists: Check = (input) =>
  input.core === undefined
    ? { reason: 'CoreNotFound', message: `PxlCore "${input.coreName}" does not exist in this namespace; waiting for it` }
    : undefined;

const checkCoreReady: Check = (input) =>
  input.core !== undefined && !input.core.ready
    ? { reason: 'NoReadyProver', message: `PxlCore "${input.coreName}" has no ready prover yet (${input.core.readyMessage})` }
    : undefined;

/** The checks in the order they are reported. */
export const dispatchChecks: readonly Check[] = [checkCoreExists, checkCoreReady];

/** The first blocker, or undefined when the request may be dispatched. */
export function findBlocker(input: CheckInput): Blocker | undefined {
  for (const check of dispatchChecks) {
    const blocker = check(input);
    if (blocker !== undefined) return blocker;
  }
  return undefined;
}
