// The overall budgets of one task: tokens the models process and wall time. The time budget aborts whatever
// is running (a model call or a test run) through the task's signal; the token budget is checked before each
// model call and caps that call's maxTokens.
import type { GenerationStats } from '../model';
import type { Clock } from './ports';
import { msg, SaidError, type Message } from '../messages';

export class BudgetExceeded extends SaidError {
  constructor(readonly which: 'tokens' | 'time', said: Message) {
    super(said);
    this.name = 'BudgetExceeded';
  }
}

export class Budget {
  private used = 0;
  readonly startedAt: number;

  constructor(readonly tokenBudget: number, readonly timeBudgetMs: number, private readonly clock: Clock) {
    if (!(tokenBudget > 0)) throw new RangeError(`token budget must be positive, got ${tokenBudget}`);
    if (!(timeBudgetMs > 0)) throw new RangeError(`time budget must be positive, got ${timeBudgetMs}`);
    this.startedAt = clock.now();
  }

  get tokensUsed(): number { return this.used; }
  get remainingTokens(): number { return Math.max(0, this.tokenBudget - this.used); }
  get elapsedMs(): number { return this.clock.now() - this.startedAt; }

  /** Counts a call: the prompt tokens that were evaluated (not those reused from the KV cache) plus the generated ones. */
  charge(stats: Pick<GenerationStats, 'evaluatedTokens' | 'completionTokens'>): void {
    this.used += Math.max(0, stats.evaluatedTokens) + Math.max(0, stats.completionTokens);
  }

  /** Throws when either budget is spent; `need` is the fewest tokens the next step can work with. */
  check(need = 1): void {
    if (this.elapsedMs >= this.timeBudgetMs) throw new BudgetExceeded('time', msg('timeBudgetSpent', Math.round(this.timeBudgetMs / 1000)));
    if (this.remainingTokens < need) throw new BudgetExceeded('tokens', msg('tokenBudgetSpent', this.tokenBudget, this.used));
  }

  /** maxTokens for the next call: its own cap, or what is left of the budget. */
  cap(wanted: number): number {
    return Math.max(1, Math.min(wanted, this.remainingTokens));
  }
}
