/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives, for e-mail tests. */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  to: string[]
  raw: string
  /** The raw message with quoted-printable soft breaks and escapes undone (enough to find links). */
  decoded: string
}

export interface TestSmtp {
  url: string
  mails: ReceivedMail[]
  /** Resolves with the first mail to `to` received after the call (or already there, if `since` is 0). */
  waitFor(to: string, options?: { timeoutMs?: number; after?: number }): Promise<ReceivedMail>
  close(): Promise<void>
}

export function decodeQuotedPrintable(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, decoded: decodeQuotedPrintable(raw) })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000)
      const after = options.after ?? 0
      for (;;) {
        const found = mails.slice(after).find((m) => m.to.includes(to.toLowerCase()))
        if (found) return found
        if (Date.now() > deadline) throw new Error(`no mail to ${to} received`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The first https?:// link in the mail whose path contains `path`. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const match = mail.decoded.match(new RegExp(`https?://[^\\s"<>]*${path.replace(/[/?]/g, '\\$&')}[^\\s"<>]*`))
  if (!match) throw new Error(`no link to ${path} in the mail`)
  return match[0].replace(/&amp;/g, '&')
}
