// One task runs at a time (one model, one shadow workspace); the others wait their turn in order. A new task
// never cancels the running one: with a reasoning model a task takes minutes, and cancelling loses that work.
// Pure (no vscode): unit-tested in test/unit/extension/conversation.test.ts.

interface Waiting { id: string; go(run: boolean): void }

export class TaskQueue {
  private current: string | undefined;
  private readonly waiting: Waiting[] = [];

  get running(): string | undefined { return this.current; }
  get pending(): readonly string[] { return this.waiting.map((w) => w.id); }
  /** Whether a task asking now would have to wait. */
  get busy(): boolean { return this.current !== undefined; }

  /** Resolves true when it is `id`'s turn (it then holds the slot until `release`), false if it was cancelled first. */
  turn(id: string): Promise<boolean> {
    if (this.current === undefined) { this.current = id; return Promise.resolve(true); }
    return new Promise((go) => this.waiting.push({ id, go }));
  }

  /** The running task is done: the next one in line starts. */
  release(id: string): void {
    if (this.current !== id) return;
    const next = this.waiting.shift();
    this.current = next?.id;
    next?.go(true);
  }

  /** Takes a waiting task out of the line; false when it is not waiting (running, or unknown). */
  cancel(id: string): boolean {
    const i = this.waiting.findIndex((w) => w.id === id);
    if (i < 0) return false;
    const [w] = this.waiting.splice(i, 1);
    w.go(false);
    return true;
  }

  /** Every waiting task leaves the line (the extension shuts down). */
  clear(): void {
    for (const w of this.waiting.splice(0)) w.go(false);
  }
}
