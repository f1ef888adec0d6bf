/** The demo course and its people. Ids follow Moodle's numbering (admin = 2, course = 2). */
import { createActivity } from './activities'
import type { EmulatorState } from './state'
import type { Course, User } from './types'

export function demoCourse(): Course {
  return {
    id: '2',
    label: 'CN-L1',
    title: 'Compétences numériques — L1',
    sourcedId: 'CN-L1-2026',
    summary: 'Préparation à la certification des compétences numériques, première année de licence.',
    startDate: Date.UTC(2026, 8, 1) / 1000,
  }
}

export function demoUsers(): User[] {
  return [
    // Site admins are not enrolled; Moodle still launches them as Instructor (+ Administrator roles).
    { id: '2', username: 'admin', givenName: 'Admin', familyName: 'Plateforme', email: 'admin@univ-demo.example', idnumber: '', siteAdmin: true, label: 'Admin (administrateur)' },
    { id: '3', username: 'claire.martin', givenName: 'Claire', familyName: 'Martin', email: 'claire.martin@univ-demo.example', idnumber: 'ENS-2024-017', courseRole: 'editingteacher', siteAdmin: false, label: 'Claire (enseignante)' },
    { id: '4', username: 'lea.dubois', givenName: 'Léa', familyName: 'Dubois', email: 'lea.dubois@etu.univ-demo.example', idnumber: '22400117', courseRole: 'student', siteAdmin: false, label: 'Léa (étudiante)' },
    { id: '5', username: 'hugo.bernard', givenName: 'Hugo', familyName: 'Bernard', idnumber: '22400118', courseRole: 'student', siteAdmin: false, label: 'Hugo (étudiant, sans e-mail)' },
    { id: '6', username: 'etu22400119', email: 'etu22400119@etu.univ-demo.example', idnumber: '22400119', courseRole: 'student', siteAdmin: false, label: 'Étudiant 22400119 (sans nom)' },
    { id: '7', username: 'ines.moreau', givenName: 'Inès', familyName: 'Moreau', email: 'ines.moreau@etu.univ-demo.example', idnumber: '22400120', courseRole: 'student', siteAdmin: false, label: 'Inès (étudiante)' },
  ]
}

/** The named people tests and the README refer to. */
export interface DemoPeople {
  admin: User
  teacher: User
  lea: User
  noEmail: User
  noName: User
  ines: User
}

export function seedDemo(state: EmulatorState): { people: DemoPeople; activityId: string } {
  const users = demoUsers()
  for (const u of users) state.users.set(u.id, u)
  const [admin, teacher, lea, noEmail, noName, ines] = users as [User, User, User, User, User, User]
  // One Jalon activity the teacher added by hand, not bound to a campaign yet; graded out of 100.
  const { activity } = createActivity(state, {
    name: 'Positionnement numérique (Jalon)',
    description: 'Évaluez vos compétences numériques. Activité à configurer par l’enseignante.',
    lineItem: { scoreMaximum: 100 },
    createdBy: 'demo',
  })
  return { people: { admin, teacher, lea, noEmail, noName, ines }, activityId: activity.id }
}
