/**
 * Fault injection for delivery tests: the next `times` AGS requests fail (500, 409, or no answer), then the
 * platform recovers. Faults hit score POSTs unless `endpoints: 'all'` (every services.php request).
 */
import type { NextFunction, Request, Response } from 'express'

export interface AgsFault {
  /** `lost-response`: the request is handled (a score is stored) but the answer never comes back, as when the tool dies mid-request. */
  mode: '500' | 'timeout' | '409' | 'lost-response'
  times: number
  /** `timeout`: how long the request hangs before its socket is dropped (default 30 s). */
  delayMs?: number
  endpoints?: 'scores' | 'all'
}

export class FaultInjector {
  private queue: AgsFault[] = []
  private timers = new Set<NodeJS.Timeout>()

  constructor(private readonly onFault: () => void) {}

  failAgs(fault: AgsFault): void {
    if (fault.times > 0) this.queue.push({ ...fault })
  }

  clear(): void {
    this.queue = []
  }

  /** Faults still to be served. */
  get pending(): number {
    return this.queue.reduce((n, f) => n + f.times, 0)
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const fault = this.queue[0]
      const isScore = req.method === 'POST' && /\/lineitem\/scores$/.test(req.path)
      if (!fault || ((fault.endpoints ?? 'scores') === 'scores' && !isScore)) return next()
      fault.times--
      if (fault.times <= 0) this.queue.shift()
      this.onFault()
      if (fault.mode === '500') {
        res.status(500).type('text').send('Injected failure')
      } else if (fault.mode === '409') {
        res.status(409).type('text').send('Refusing score with an earlier timestamp (injected)')
      } else if (fault.mode === 'lost-response') {
        // Let the handler store the score, then hold its answer and drop the socket.
        const hold = (() => {
          const timer = setTimeout(() => {
            this.timers.delete(timer)
            req.socket.destroy()
          }, fault.delayMs ?? 30000)
          timer.unref()
          this.timers.add(timer)
          return res
        }) as Response['end']
        res.end = hold
        next()
      } else {
        const timer = setTimeout(() => {
          this.timers.delete(timer)
          req.socket.destroy()
        }, fault.delayMs ?? 30000)
        timer.unref()
        this.timers.add(timer)
      }
    }
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}
