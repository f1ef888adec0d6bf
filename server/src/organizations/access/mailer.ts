/**
 * Outgoing e-mail. With SMTP_URL: nodemailer over SMTP. Without it (demo, development): messages are
 * stored in `demo_mails` and shown on /dev/mails, so invitations and resets can be followed locally.
 */
import nodemailer from 'nodemailer'
import { desc } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { demoMails } from '../../db/schema'
import { MailDeliveryFailed } from '../errors'

export interface Mail {
  to: string
  subject: string
  text: string
  html?: string
}

export interface Mailer {
  send(mail: Mail): Promise<void>
}

export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url)
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html })
      } catch (err) {
        throw new MailDeliveryFailed('L’e-mail n’a pas pu être envoyé. Réessayez dans un instant.', { cause: (err as Error).message })
      }
    },
  }
}

export function createDemoMailer(db: Db): Mailer {
  return {
    async send(mail) {
      await db.insert(demoMails).values({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null })
    },
  }
}

export async function listDemoMails(db: Db, limit = 50) {
  return db.select().from(demoMails).orderBy(desc(demoMails.createdAt)).limit(limit)
}
