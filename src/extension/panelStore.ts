// The authoritative copy of the panel's task history, in the extension host. Events from the agent (and the
// user's decisions) go through dispatch(); the reducer is the shared pure one. Listeners get the events in
// batches, because thought tokens arrive one at a time and one webview message per token floods it.
import { Emitter, type IDisposable } from '../core/util/lifecycle';
import { emptyPanelState, reducePanel, type PanelEvent, type PanelState } from '../protocol/panelState';

export class PanelStore implements IDisposable {
  private current: PanelState = emptyPanelState();
  private pending: PanelEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly batches = new Emitter<PanelEvent[]>();
  /** Fires with the events since the last batch, at most every `batchMs`. */
  readonly onBatch = this.batches.event;

  constructor(private readonly batchMs = 50) {}

  get state(): PanelState { return this.current; }

  dispatch(e: PanelEvent): void {
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
