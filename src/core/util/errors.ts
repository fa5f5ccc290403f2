// One way to turn anything thrown into the text a user or a log line shows.

/** The message of an Error, or the thrown value as text (a string, a number, an object from a worker). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
