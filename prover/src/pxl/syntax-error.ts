// The one error the parser raises internally; parseGoal turns it into a result value.

/** A syntax error at a 1-based line and column of a goal. */
export class PxlSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = 'PxlSyntaxError';
  }
}
