/**
 * The signed-in frame of Jalon Orga: top bar (organization, the user's menu), navigation
 * Campagnes / Étudiants / Équipe / Places, main landmark. Without a session it sends to the sign-in page
 * and comes back afterwards. Switching organization remounts the pages (nothing of the previous one stays).
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import { OrgaApiError, request, type Me } from '../api'
import { OrgaSessionContext, type OrgaSession } from '../session'
import { UserMenu } from './UserMenu'

export function OrgaShell() {
  const { t } = useTranslation()
  const location = useLocation()
  const navigate = useNavigate()
  const [me, setMe] = useState<Me | undefined>()
  const [state, setState] = useState<'loading' | 'ready' | 'signed-out' | 'error'>('loading')

  const refresh = useCallback(async () => {
    try {
      setMe(await request<Me>('/me'))
      setState('ready')
    } catch (err) {
      // 401: no session; 404: the API is not mounted (client served alone) — either way, the sign-in page.
      setState(err instanceof OrgaApiError && (err.status === 401 || err.status === 404) ? 'signed-out' : 'error')
    }
  }, [])
  useEffect(() => {
    void refresh()
  }, [refresh])

  const session = useMemo<OrgaSession | undefined>(
    () =>
      me && {
        me,
        isAdmin: me.role === 'ADMIN',
        refresh,
        async switchOrganization(organizationId) {
          setMe(await request<Me>('/me/organization', { method: 'PUT', body: { organizationId } }))
          navigate('/campagnes')
        },
        async signOut() {
          await request('/auth/sign-out', { method: 'POST' }).catch(() => undefined)
          setMe(undefined)
          setState('signed-out')
        },
      },
    [me, refresh, navigate],
  )

  if (state === 'signed-out') {
    const next = location.pathname + location.search
    return <Navigate to={next && next !== '/' ? `/connexion?next=${encodeURIComponent(next)}` : '/connexion'} replace />
  }
  if (state === 'error') {
    return (
      <main id="main" className="orga-main">
        <p role="alert">{t('common.error')}</p>
      </main>
    )
  }
  if (!session) {
    return (
      <main id="main" className="orga-main">
        <p role="status">{t('common.loading')}</p>
      </main>
    )
  }
  return (
    <OrgaSessionContext.Provider value={session}>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="orga-topbar">
        <div className="orga-brand">
          <span className="brand">Jalon Orga</span>
          <span className="orga-current-org">{session.me.organization.name}</span>
        </div>
        <UserMenu />
      </header>
      <nav className="orga-nav" aria-label={t('orga.nav.label')}>
        <ul>
          <li>
            <NavLink to="/campagnes">{t('orga.nav.campaigns')}</NavLink>
          </li>
          <li>
            <NavLink to="/etudiants">{t('orga.nav.learners')}</NavLink>
          </li>
          <li>
            <NavLink to="/equipe">{t('orga.nav.team')}</NavLink>
          </li>
          {session.isAdmin ? (
            <li>
              <NavLink to="/places">{t('orga.nav.places')}</NavLink>
            </li>
          ) : null}
        </ul>
      </nav>
      <main id="main" className="orga-main" tabIndex={-1}>
        <Outlet key={session.me.organization.id} />
      </main>
    </OrgaSessionContext.Provider>
  )
}
