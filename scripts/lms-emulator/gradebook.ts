/** The readable gradebook (Moodle's grader report): columns = line items, rows = learners; HTML for people, JSON for tests. */
import { Router } from 'express'
import { esc, page } from './html'
import { currentUser } from './session'
import type { EmulatorState } from './state'
import type { Grade, LineItem, ScoreRecord } from './types'

export interface GradebookColumn {
  id: string
  url: string
  label: string
  scoreMaximum: number
  resourceId: string
  tag: string
  activityId?: string
  kind: LineItem['kind']
}

export interface GradebookSnapshot {
  columns: GradebookColumn[]
  learners: Array<{ id: string; name: string; idnumber: string }>
  grades: Grade[]
  scores: ScoreRecord[]
  counters: EmulatorState['counters']
}

export function columns(state: EmulatorState): GradebookColumn[] {
  state.syncLineItemTypes()
  return [...state.lineItems.values()].map((li) => ({
    id: li.id,
    url: state.lineItemUrl(li),
    label: li.label,
    scoreMaximum: li.scoreMaximum,
    resourceId: li.resourceId,
    tag: li.tag,
    activityId: li.activityId,
    kind: li.kind,
  }))
}

export function snapshot(state: EmulatorState): GradebookSnapshot {
  const learners = [...state.users.values()]
    .filter((u) => u.courseRole === 'student')
    .map((u) => ({ id: u.id, name: [u.givenName, u.familyName].filter(Boolean).join(' ') || u.username, idnumber: u.idnumber }))
  return { columns: columns(state), learners, grades: [...state.grades.values()], scores: [...state.scoreLog], counters: { ...state.counters } }
}

const fr = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

const PROGRESS: Record<string, string> = {
  Initialized: 'initialisé',
  Started: 'commencé',
  InProgress: 'en cours',
  Submitted: 'soumis',
  Completed: 'terminé',
}

export function gradebookRoutes(state: EmulatorState): Router {
  const r = Router()
  r.get('/grade/report.json', (_req, res) => {
    res.json(snapshot(state))
  })
  r.get('/grade/report', (req, res) => {
    const s = snapshot(state)
    const head = s.columns.map((c) => `<th scope="col">${esc(c.label)}<br><span class="muted">sur ${esc(fr.format(c.scoreMaximum))}</span></th>`).join('')
    const rows = s.learners
      .map((l) => {
        const cells = s.columns
          .map((c) => {
            const g = state.grades.get(`${c.id}:${l.id}`)
            if (!g) return '<td class="num">-</td>'
            const value = g.grade === null ? '-' : fr.format(g.grade)
            const progress = PROGRESS[g.activityProgress] ?? g.activityProgress
            return `<td class="num">${esc(value)}<br><span class="muted">${esc(progress)}</span>${g.comment ? `<br><span class="muted">${esc(g.comment)}</span>` : ''}</td>`
          })
          .join('')
        return `<tr><th scope="row">${esc(l.name)}<br><span class="muted">${esc(l.idnumber)}</span></th>${cells}</tr>`
      })
      .join('')
    const table = s.columns.length
      ? `<div class="table-wrap"><table><caption>Notes reçues des outils</caption><thead><tr><th scope="col">Étudiant·e</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`
      : '<p>Aucune colonne de notes pour le moment.</p>'
    const c = s.counters
    const body = `<ol class="breadcrumb" aria-label="Fil d’Ariane"><li><a href="/">${esc(state.course.label)}</a></li><li aria-current="page">Carnet de notes</li></ol>
<h1>Carnet de notes</h1>${table}
<p class="muted">Envois de notes reçus : ${c.scorePosts} — acceptés : ${c.scoresAccepted} — refusés : ${c.scoresRejected} — pannes simulées : ${c.faultsInjected}. <a href="/grade/report.json">Version JSON</a></p>
<p><a href="/grade/report">Actualiser</a></p>`
    res.type('html').send(page({ title: 'Carnet de notes', body, userLabel: currentUser(state, req)?.label }))
  })
  return r
}
