/** Time is a dependency: use cases receive a Clock so tests can fix it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(iso: string | Date): Clock & { advance(ms: number): void } {
  let current = new Date(iso).getTime()
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms
    },
  }
}
