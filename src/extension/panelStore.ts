// The authoritative copy of the panel's task history, in the extension host. Events from the agent (and the
// user's decisions) go through dispatch(); the reducer is the shared pure one. Listeners get the events in
// batches, because thought tokens arrive one at a time and one webview message per token floods it.
import { Emitter, type IDisposable } from '../core/util';
import { emptyPanelState, reducePanel, type PanelEvent, type PanelState } from '../protocol';

/** Events whose time the panel shows: when a task started and finished, and how long its phase has run. */
const STAMPED = new Set<PanelEvent['type']>(['task-started', 'phase', 'task-finished']);

export class PanelStore implements IDisposable {
  private current: PanelState = emptyPanelState();
  private pending: PanelEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly batches = new Emitter<PanelEvent[]>();
  /** Fires with the events since the last batch, at most every `batchMs`. */
  readonly onBatch = this.batches.event;

  constructor(private readonly batchMs = 50, private readonly now: () => number = Date.now) {}

  get state(): PanelState { return this.current; }

  dispatch(event: PanelEvent): void {
    // Times are stamped here, once, so the reducer stays pure and the webview's copy gets the same ones.
    const e = event.at === undefined && STAMPED.has(event.type) ? { ...event, at: this.now() } : event;
    this.current = reducePanel(this.current, e);
    this.pending.push(e);
    // Finished tasks and user decisions show at once; streaming text waits for the batch.
    if (e.type === 'task-finished' || e.type === 'candidate-resolved' || e.type === 'clear-history') this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.batches.fire(batch);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.batches.dispose();
  }
}
