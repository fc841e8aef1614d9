/**
 * Retry delay after failed attempt number `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so replicas that failed together do not retry together,
 * while a retry never comes sooner than half the nominal delay.
 */
export function retryDelayMs(attempt: number, options: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30))
  const nominal = Math.min(options.maxMs, options.baseMs * 2 ** exponent)
  const half = nominal / 2
  return Math.round(half + random() * half)
}
