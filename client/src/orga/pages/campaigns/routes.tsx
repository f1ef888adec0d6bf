/**
 * The campaign screens of Jalon Orga, mounted by the Orga shell (OrgaApp.tsx) under /orga/.
 * Paths are relative: 'campagnes', 'campagnes/nouvelle', 'campagnes/:campaignId/*'.
 */
import { lazy, Suspense, type ReactNode } from 'react'
import type { RouteObject } from 'react-router'

const CampaignListPage = lazy(() => import('./CampaignListPage'))
const CampaignFormPage = lazy(() => import('./CampaignFormPage'))
const CampaignPage = lazy(() => import('./CampaignPage'))

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p role="status">…</p>}>{children}</Suspense>
}

export const campaignRoutes: RouteObject[] = [
  { path: 'campagnes', element: <Loading><CampaignListPage /></Loading> },
  { path: 'campagnes/nouvelle', element: <Loading><CampaignFormPage mode="create" /></Loading> },
  { path: 'campagnes/:campaignId/modifier', element: <Loading><CampaignFormPage mode="edit" /></Loading> },
  { path: 'campagnes/:campaignId/dupliquer', element: <Loading><CampaignFormPage mode="duplicate" /></Loading> },
  // Tabs (activite, resultats, analyse, parametres) and participant detail live under this one.
  { path: 'campagnes/:campaignId/*', element: <Loading><CampaignPage /></Loading> },
]
