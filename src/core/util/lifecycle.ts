// Ownership of resources, after VS Code's lifecycle.ts: whoever creates a resource owns it and disposes it.
// Plain TypeScript, so the core and the adapter share it and tests can assert nothing leaked.

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return { dispose: () => { if (!done) { done = true; fn(); } } };
}

/** Owns a set of disposables and disposes them together, in reverse order of registration. */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  get isDisposed(): boolean { return this.disposed; }
  get size(): number { return this.items.size; }

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) {
      // Adding to a disposed store would leak silently; dispose the newcomer at once instead.
      item.dispose();
      return item;
    }
    this.items.add(item);
    return item;
  }

  delete(item: IDisposable): void {
    if (this.items.delete(item)) item.dispose();
  }

  clear(): void {
    const errors: unknown[] = [];
    for (const item of [...this.items].reverse()) {
      try { item.dispose(); } catch (e) { errors.push(e); }
    }
    this.items.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** Holds one swappable disposable (a running task, a loaded model): setting a new value disposes the old. */
export class MutableDisposable<T extends IDisposable> implements IDisposable {
  private current: T | undefined;
  private disposed = false;

  get value(): T | undefined { return this.current; }

  set value(next: T | undefined) {
    if (this.disposed) { next?.dispose(); return; }
    if (next === this.current) return;
    const old = this.current;
    this.current = next;
    old?.dispose();
  }

  clear(): void { this.value = undefined; }

  dispose(): void {
    this.disposed = true;
    const old = this.current;
    this.current = undefined;
    old?.dispose();
  }
}

/**
 * Minimal typed event emitter usable from the core (VS Code's Emitter without the vscode dependency). As in
 * VS Code, listeners are isolated: one that throws does not keep the others from hearing the event; the error
 * goes to `onListenerError` (by default, the console, so it is not lost).
 */
export class Emitter<T> implements IDisposable {
  private listeners = new Set<(e: T) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = reportLater) {}

  readonly event = (listener: (e: T) => void): IDisposable => {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try { l(e); } catch (err) { this.onListenerError(err); }
    }
  }

  get listenerCount(): number { return this.listeners.size; }

  dispose(): void { this.listeners.clear(); }
}

/** Logs a listener's error (the extension host shows console errors in its log) without breaking the caller. */
function reportLater(error: unknown): void {
  console.error('an event listener failed:', error);
}
