// The one reading of "verified" (docs/architecture.md §5). Dependency-free, so the panel state (and with it the
// browser bundle) can use it without the rest of the policy.
import type { Verdict } from '../types';

/** Whether a verdict, a decision or a verify result grants the green check and Accept. */
export function isVerified(r: { verdict?: Verdict } | undefined): boolean {
  return r?.verdict === 'verified';
}
