/** The signed-in prescriber (GET /api/orga/me), shared by the shell and the pages. */
import { createContext, useContext } from 'react'
import type { Me } from './api'

export interface OrgaSession {
  me: Me
  isAdmin: boolean
  refresh(): Promise<void>
  switchOrganization(organizationId: string): Promise<void>
  signOut(): Promise<void>
}

export const OrgaSessionContext = createContext<OrgaSession | undefined>(undefined)

export function useOrgaSession(): OrgaSession {
  const session = useContext(OrgaSessionContext)
  if (!session) throw new Error('useOrgaSession outside the signed-in shell')
  return session
}
