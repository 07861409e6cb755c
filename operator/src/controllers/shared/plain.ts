// Plain-JSON views of the client's model classes: the operator sends objects as JSON and never constructs models.

/** A model class turned into a plain object type, recursively (dates are ISO strings on the wire). */
export type Plain<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;
