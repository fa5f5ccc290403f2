// Small object helpers shared by the core's zones.

/** `o` without its undefined fields, so a spread over defaults keeps the defaults for what was not given. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
