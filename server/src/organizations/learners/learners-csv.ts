/**
 * The learners CSV (Pix SUP import, reduced): headers Nom, Prénom, Date de naissance, Numéro étudiant, Groupe.
 * `;` or `,` separated (guessed from the header line), UTF-8 with or without BOM, dates jj/mm/aaaa (or aaaa-mm-jj).
 * Parsing returns every error with its line number; nothing is written here.
 */
import { parse } from 'csv-parse/sync'

export const LEARNER_CSV_HEADERS = ['Nom', 'Prénom', 'Date de naissance', 'Numéro étudiant', 'Groupe'] as const
const REQUIRED = ['Nom', 'Prénom', 'Date de naissance', 'Numéro étudiant'] as const
export const MAX_IMPORT_ROWS = 10_000

/** The downloadable template: BOM (Excel opens it as UTF-8), `;` (French Excel), one example line. */
export function learnersCsvTemplate(): string {
  return `\uFEFF${LEARNER_CSV_HEADERS.join(';')}\r\nMartin;Léa;25/07/2004;21658564;Groupe 1\r\n`
}

export interface ImportedLearner {
  line: number
  lastName: string
  firstName: string
  /** YYYY-MM-DD */
  birthdate: string
  studentNumber: string
  group: string | null
}

export interface LineError {
  /** 1 = the header line. */
  line: number
  field?: string
  message: string
}

const key = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\*/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')

function parseDate(value: string, today: Date): string | undefined {
  let m = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/)
  let [y, mo, d] = m ? [Number(m[3]), Number(m[2]), Number(m[1])] : [0, 0, 0]
  if (!m) {
    m = value.match(/^(\d{4})-(\d{2})-(\d{2})$/)
    if (!m) return undefined
    ;[y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  }
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined
  if (y < 1900 || date.getTime() > today.getTime()) return undefined
  return date.toISOString().slice(0, 10)
}

export function parseLearnersCsv(content: string, today: Date): { learners: ImportedLearner[]; errors: LineError[] } {
  const text = content.replace(/^\uFEFF/, '')
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  if (!firstLine.trim()) return { learners: [], errors: [{ line: 1, message: 'Le fichier est vide.' }] }
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
  let records: string[][]
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true })
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1
    return { learners: [], errors: [{ line, message: 'Le fichier CSV est mal formé (guillemets ou séparateurs).' }] }
  }
  const [header = [], ...rows] = records
  const index = new Map(header.map((h, i) => [key(h), i]))
  const missing = REQUIRED.filter((h) => !index.has(key(h)))
  if (missing.length > 0) {
    return {
      learners: [],
      errors: [{ line: 1, message: `Colonnes manquantes : ${missing.join(', ')}. En-têtes attendus : ${LEARNER_CSV_HEADERS.join(', ')}.` }],
    }
  }
  if (rows.length === 0) return { learners: [], errors: [{ line: 2, message: 'Le fichier ne contient aucun étudiant.' }] }
  if (rows.length > MAX_IMPORT_ROWS) return { learners: [], errors: [{ line: 1, message: `Le fichier dépasse ${MAX_IMPORT_ROWS} lignes.` }] }

  const cell = (row: string[], name: string) => (row[index.get(key(name)) ?? -1] ?? '').trim()
  const learners: ImportedLearner[] = []
  const errors: LineError[] = []
  const seen = new Map<string, number>()
  rows.forEach((row, i) => {
    const line = i + 2
    const before = errors.length
    const lastName = cell(row, 'Nom')
    const firstName = cell(row, 'Prénom')
    const birth = cell(row, 'Date de naissance')
    const studentNumber = cell(row, 'Numéro étudiant')
    const group = cell(row, 'Groupe')
    if (!lastName) errors.push({ line, field: 'Nom', message: 'Le nom est obligatoire.' })
    else if (lastName.length > 100) errors.push({ line, field: 'Nom', message: 'Le nom dépasse 100 caractères.' })
    if (!firstName) errors.push({ line, field: 'Prénom', message: 'Le prénom est obligatoire.' })
    else if (firstName.length > 100) errors.push({ line, field: 'Prénom', message: 'Le prénom dépasse 100 caractères.' })
    const birthdate = birth ? parseDate(birth, today) : undefined
    if (!birth) errors.push({ line, field: 'Date de naissance', message: 'La date de naissance est obligatoire.' })
    else if (!birthdate) errors.push({ line, field: 'Date de naissance', message: `« ${birth} » n’est pas une date valide (jj/mm/aaaa).` })
    if (!studentNumber) errors.push({ line, field: 'Numéro étudiant', message: 'Le numéro étudiant est obligatoire.' })
    else if (!/^[\p{L}\p{N}._-]{1,64}$/u.test(studentNumber)) {
      errors.push({ line, field: 'Numéro étudiant', message: 'Le numéro étudiant ne doit contenir que des lettres, chiffres, points, tirets (64 caractères au plus).' })
    } else if (seen.has(studentNumber)) {
      errors.push({ line, field: 'Numéro étudiant', message: `Le numéro étudiant ${studentNumber} figure déjà ligne ${seen.get(studentNumber)}.` })
    }
    if (group.length > 100) errors.push({ line, field: 'Groupe', message: 'Le groupe dépasse 100 caractères.' })
    if (studentNumber && !seen.has(studentNumber)) seen.set(studentNumber, line)
    if (errors.length === before) learners.push({ line, lastName, firstName, birthdate: birthdate!, studentNumber, group: group || null })
  })
  return { learners, errors }
}
