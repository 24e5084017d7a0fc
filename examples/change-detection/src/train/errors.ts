/**
 * A mistake in what the user asked for (an unknown variant, a size the model cannot take, a missing
 * file). The CLI prints its message on one line and exits with code 2, without a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Throws a UsageError with `message` unless `ok`. */
export function usage(ok: boolean, message: string): asserts ok {
  if (!ok) throw new UsageError(message);
}
