/**
 * The menu under the user's name: switch organization, language, sign out (Pix Orga: "un menu déroulant sous
 * votre nom permet de naviguer entre ces différents espaces"). A disclosure button: Escape or a click outside closes it.
 */
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitcher } from '../../components/LanguageSwitcher'
import { displayName } from '../api'
import { useOrgaSession } from '../session'

export function UserMenu() {
  const { t } = useTranslation()
  const { me, switchOrganization, signOut } = useOrgaSession()
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const handleKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false)
        buttonRef.current?.focus()
      }
    }
    const handleClick = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('keydown', handleKey)
    document.addEventListener('mousedown', handleClick)
    return () => {
      document.removeEventListener('keydown', handleKey)
      document.removeEventListener('mousedown', handleClick)
    }
  }, [open])

  const handleSwitch = async (organizationId: string) => {
    setOpen(false)
    await switchOrganization(organizationId)
    buttonRef.current?.focus()
  }

  return (
    <div className="orga-user-menu" ref={rootRef}>
      <button ref={buttonRef} type="button" className="orga-user-button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        <span className="orga-user-name">{displayName(me.user)}</span>
        <span className="orga-user-org">{me.organization.name}</span>
        <span aria-hidden="true"> ▾</span>
      </button>
      <div id={panelId} className="orga-user-panel" hidden={!open}>
        {me.organizations.length > 1 ? (
          <nav aria-label={t('orga.menu.organizations')}>
            <p className="orga-menu-title">{t('orga.menu.organizations')}</p>
            <ul className="orga-org-list">
              {me.organizations.map((o) => (
                <li key={o.id}>
                  <button
                    type="button"
                    className="orga-menu-item"
                    aria-current={o.id === me.organization.id ? 'true' : undefined}
                    onClick={() => void handleSwitch(o.id)}
                  >
                    {o.name}
                    <span className="orga-menu-role">{t(`orga.roles.${o.role}`)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <LanguageSwitcher />
        <button type="button" className="orga-menu-item orga-sign-out" onClick={() => void signOut()}>
          {t('orga.menu.signOut')}
        </button>
      </div>
    </div>
  )
}
