/** The e-mails Jalon Orga sends: French first, an English line for non-French speakers. */
import type { Mail } from './mailer'

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function layout(paragraphs: string[], link: { href: string; label: string }, english: string): string {
  return `<!doctype html><html lang="fr"><body style="font-family:sans-serif;line-height:1.5;color:#1e1e1e">
${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
<p><a href="${esc(link.href)}" style="background:#1f4fd1;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${esc(link.label)}</a></p>
<p style="font-size:13px;color:#555">${esc(link.href)}</p>
<p lang="en" style="font-size:13px;color:#555">${esc(english)}</p>
</body></html>`
}

export function invitationMail(input: { to: string; organizationName: string; link: string; role: 'ADMIN' | 'MEMBER' }): Mail {
  const role = input.role === 'ADMIN' ? 'administrateur' : 'membre'
  const lines = [
    'Bonjour,',
    `Vous êtes invité(e) à rejoindre l’espace Jalon Orga de « ${input.organizationName} » en tant que ${role}.`,
    'Jalon Orga vous permet de créer des campagnes de test et de suivre la progression de vos participants.',
    'Cette invitation est valable 7 jours.',
  ]
  const english = `You are invited to join ${input.organizationName} on Jalon Orga. Open the link above to accept (valid for 7 days).`
  return {
    to: input.to,
    subject: `Invitation à rejoindre ${input.organizationName} sur Jalon Orga`,
    text: `${lines.join('\n\n')}\n\nRejoindre l’espace : ${input.link}\n\n${english}\n`,
    html: layout(lines, { href: input.link, label: 'Rejoindre l’espace' }, english),
  }
}

export function passwordResetMail(input: { to: string; link: string }): Mail {
  const lines = [
    'Bonjour,',
    'Vous avez demandé à réinitialiser le mot de passe de votre compte Jalon Orga.',
    'Ce lien est valable une heure et ne sert qu’une fois. Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.',
  ]
  const english = 'You asked to reset your Jalon Orga password. The link above works once, for one hour.'
  return {
    to: input.to,
    subject: 'Réinitialisation de votre mot de passe Jalon Orga',
    text: `${lines.join('\n\n')}\n\nChoisir un nouveau mot de passe : ${input.link}\n\n${english}\n`,
    html: layout(lines, { href: input.link, label: 'Choisir un nouveau mot de passe' }, english),
  }
}
