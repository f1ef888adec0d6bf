/**
 * Jalon Orga, the prescribers' dashboard (standalone tab, first-party cookie session), under /orga/.
 * Signed-out screens: connexion, invitation, mot-de-passe-oublie, nouveau-mot-de-passe (links in e-mails).
 * Signed-in screens live in OrgaShell: the campaign screens (pages/campaigns/routes.tsx), étudiants, équipe, places.
 */
import { lazy, Suspense, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { createBrowserRouter, Navigate, RouterProvider, type RouteObject } from 'react-router'
import { campaignRoutes } from './pages/campaigns/routes'
import { OrgaShell } from './shell/OrgaShell'

const SignInPage = lazy(() => import('./pages/auth/SignInPage'))
const AcceptInvitationPage = lazy(() => import('./pages/auth/AcceptInvitationPage'))
const ForgotPasswordPage = lazy(() => import('./pages/auth/ForgotPasswordPage'))
const ResetPasswordPage = lazy(() => import('./pages/auth/ResetPasswordPage'))
const TeamPage = lazy(() => import('./pages/team/TeamPage'))
const LearnersPage = lazy(() => import('./pages/learners/LearnersPage'))
const PlacesPage = lazy(() => import('./pages/places/PlacesPage'))
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'))

function Loading({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  return <Suspense fallback={<p role="status">{t('common.loading')}</p>}>{children}</Suspense>
}

export const orgaRoutes: RouteObject[] = [
  { path: 'connexion', element: <Loading><SignInPage /></Loading> },
  { path: 'invitation', element: <Loading><AcceptInvitationPage /></Loading> },
  { path: 'mot-de-passe-oublie', element: <Loading><ForgotPasswordPage /></Loading> },
  { path: 'nouveau-mot-de-passe', element: <Loading><ResetPasswordPage /></Loading> },
  {
    element: <OrgaShell />,
    children: [
      { index: true, element: <Navigate to="/campagnes" replace /> },
      ...campaignRoutes,
      { path: 'etudiants', element: <Loading><LearnersPage /></Loading> },
      { path: 'equipe', element: <Loading><TeamPage /></Loading> },
      { path: 'places', element: <Loading><PlacesPage /></Loading> },
      { path: '*', element: <Loading><NotFoundPage /></Loading> },
    ],
  },
]

const router = createBrowserRouter(orgaRoutes, { basename: '/orga' })

export function OrgaApp() {
  return <RouterProvider router={router} />
}
