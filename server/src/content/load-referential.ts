/**
 * Loads and validates the learning content (data/*.json) once, at start-up.
 * Fails fast: the error names the file and the JSON path of the first problem.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { z } from 'zod'
import { AreasFile, CompetenceFile, TargetProfilesFile, type TargetProfileSpecData } from './schema'
import type {
  Area,
  Badge,
  Challenge,
  Competence,
  Referential,
  Skill,
  Stage,
  TargetProfile,
  Tube,
  Tutorial,
} from './types'

export const DEFAULT_CONTENT_DIR = join(__dirname, 'data')

/** Pix values of each level of a competence (Pix's PIX_COUNT_BY_LEVEL). */
export const PIX_PER_LEVEL = 8

export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    message: string,
  ) {
    super(`${file}${path ? ` at ${path}` : ''}: ${message}`)
    this.name = 'ContentError'
  }
}

function parseFile<T extends z.ZodType>(schema: T, file: string, root: string): z.infer<T> {
  const name = relative(root, file)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new ContentError(name, '', `not valid JSON (${(err as Error).message})`)
  }
  const result = schema.safeParse(json)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
    throw new ContentError(name, path.replace(/^\./, ''), issue.message)
  }
  return result.data
}

export function loadReferential(dir: string = DEFAULT_CONTENT_DIR): Referential {
  const hash = createHash('sha256')
  const read = <T extends z.ZodType>(schema: T, file: string) => {
    hash.update(readFileSync(file))
    return parseFile(schema, file, dir)
  }

  const areasFile = read(AreasFile, join(dir, 'areas.json'))
  const areas: Area[] = areasFile.areas.map((a) => ({ ...a, competenceCodes: [] }))
  const competences: Competence[] = []
  const tubes = new Map<string, Tube>()
  const skills = new Map<string, Skill>()
  const challenges = new Map<string, Challenge>()
  const tutorials = new Map<string, Tutorial>()
  const pendingTutorialRefs: { file: string; path: string; id: string }[] = []

  const competenceDir = join(dir, 'competences')
  const files = readdirSync(competenceDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
  for (const fileName of files) {
    const file = join(competenceDir, fileName)
    const name = relative(dir, file)
    const data = read(CompetenceFile, file)
    if (fileName !== `${data.code}.json`) throw new ContentError(name, 'code', `file must be named ${data.code}.json`)
    const area = areas.find((a) => a.code === data.code.split('.')[0])
    if (!area) throw new ContentError(name, 'code', `no area for competence ${data.code}`)
    if (competences.some((c) => c.code === data.code)) throw new ContentError(name, 'code', 'duplicate competence')
    area.competenceCodes.push(data.code)

    data.tutorials.forEach((t, i) => {
      if (tutorials.has(t.id)) throw new ContentError(name, `tutorials[${i}].id`, `duplicate tutorial id ${t.id}`)
      tutorials.set(t.id, t)
    })

    const competenceSkills: Skill[] = []
    data.tubes.forEach((tubeData, ti) => {
      const tpath = `tubes[${ti}]`
      if (tubes.has(tubeData.name)) throw new ContentError(name, `${tpath}.name`, `duplicate tube ${tubeData.name}`)
      const levels = new Set<number>()
      const tube: Tube = {
        name: tubeData.name,
        competenceCode: data.code,
        practicalTitle: tubeData.practicalTitle,
        practicalDescription: tubeData.practicalDescription,
        skillIds: [],
        maxLevel: 0,
      }
      const sorted = [...tubeData.skills].sort((a, b) => a.level - b.level)
      tubeData.skills.forEach((skillData, si) => {
        const spath = `${tpath}.skills[${si}]`
        if (levels.has(skillData.level)) throw new ContentError(name, `${spath}.level`, `two skills of level ${skillData.level}`)
        levels.add(skillData.level)
        skillData.tutorialIds.forEach((id, k) => pendingTutorialRefs.push({ file: name, path: `${spath}.tutorialIds[${k}]`, id }))
        const id = `@${tubeData.name}${skillData.level}`
        const skill: Skill = {
          id,
          name: id,
          tubeName: tubeData.name,
          competenceCode: data.code,
          level: skillData.level,
          description: skillData.description,
          pixValue: 0,
          tutorialIds: skillData.tutorialIds,
          challengeIds: [],
        }
        skillData.challenges.forEach((ch, ci) => {
          const cpath = `${spath}.challenges[${ci}]`
          if (challenges.has(ch.id)) throw new ContentError(name, `${cpath}.id`, `duplicate challenge id ${ch.id}`)
          checkChallengeCoherence(ch, name, cpath)
          challenges.set(ch.id, { ...ch, skillId: id, competenceCode: data.code, tubeName: tubeData.name })
          skill.challengeIds.push(ch.id)
        })
        skills.set(id, skill)
        competenceSkills.push(skill)
      })
      tube.skillIds = sorted.map((s) => `@${tubeData.name}${s.level}`)
      tube.maxLevel = sorted[sorted.length - 1]!.level
      tubes.set(tube.name, tube)
    })

    // Each level of the competence is worth 8 pix, shared among the skills of that level.
    const byLevel = new Map<number, Skill[]>()
    for (const s of competenceSkills) byLevel.set(s.level, [...(byLevel.get(s.level) ?? []), s])
    for (const group of byLevel.values()) for (const s of group) s.pixValue = PIX_PER_LEVEL / group.length

    competences.push({
      code: data.code,
      areaCode: area.code,
      name: data.name,
      description: data.description,
      tubeNames: data.tubes.map((t) => t.name),
    })
  }

  for (const ref of pendingTutorialRefs) {
    if (!tutorials.has(ref.id)) throw new ContentError(ref.file, ref.path, `unknown tutorial ${ref.id}`)
  }

  competences.sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }))
  const competenceByCode = new Map(competences.map((c) => [c.code, c]))

  const targetProfiles = new Map<string, TargetProfile>()
  for (const c of competences) {
    const tp = buildTargetProfile(competenceProfileSpec(c, tubes), { tubes, skills, challenges, competenceByCode }, '', '')
    targetProfiles.set(tp.id, tp)
  }
  const tpFile = join(dir, 'target-profiles.json')
  const tpData = read(TargetProfilesFile, tpFile)
  tpData.targetProfiles.forEach((spec, i) => {
    if (targetProfiles.has(spec.id)) throw new ContentError('target-profiles.json', `targetProfiles[${i}].id`, `duplicate ${spec.id}`)
    targetProfiles.set(
      spec.id,
      buildTargetProfile(spec, { tubes, skills, challenges, competenceByCode }, 'target-profiles.json', `targetProfiles[${i}]`),
    )
  })

  return {
    version: hash.digest('hex').slice(0, 12),
    areas,
    competences,
    tubes,
    skills,
    challenges,
    tutorials,
    targetProfiles,
    competenceByCode,
  }
}

function checkChallengeCoherence(ch: Challenge | import('./schema').ChallengeData, file: string, path: string): void {
  if (ch.type === 'QCU' && ch.solution > ch.proposals.length)
    throw new ContentError(file, `${path}.solution`, 'solution points past the proposals')
  if (ch.type === 'QCM') {
    if (ch.solution.some((s) => s > ch.proposals.length)) throw new ContentError(file, `${path}.solution`, 'solution points past the proposals')
    if (new Set(ch.solution).size !== ch.solution.length) throw new ContentError(file, `${path}.solution`, 'duplicate index')
  }
  if (ch.type === 'QCU' || ch.type === 'QCM') {
    if (new Set(ch.proposals).size !== ch.proposals.length) throw new ContentError(file, `${path}.proposals`, 'duplicate proposal')
  }
  if (ch.type === 'QROCM-ind' || ch.type === 'QROCM-dep') {
    const keys = ch.fields.map((f) => f.key)
    if (new Set(keys).size !== keys.length) throw new ContentError(file, `${path}.fields`, 'duplicate field key')
  }
  if (ch.type === 'QROCM-dep' && ch.solutionGroups.length < ch.fields.length)
    throw new ContentError(file, `${path}.solutionGroups`, 'fewer solution groups than fields')
  if ((ch.type === 'QROC' || ch.type === 'QROCM-ind' || ch.type === 'QROCM-dep') && ch.format === 'nombre') {
    const values =
      ch.type === 'QROC' ? ch.solutions : ch.type === 'QROCM-ind' ? ch.fields.flatMap((f) => f.solutions) : ch.solutionGroups.flat()
    if (values.some((v) => Number.isNaN(Number(v.replace(',', '.')))))
      throw new ContentError(file, path, 'format "nombre" needs numeric solutions')
  }
}

function competenceProfileSpec(c: Competence, tubes: Map<string, Tube>): TargetProfileSpecData {
  const maxLevel = Math.max(...c.tubeNames.map((t) => tubes.get(t)!.maxLevel))
  return {
    id: `tp_competence_${c.code.replace('.', '_')}`,
    name: `${c.code} ${c.name}`,
    description: `Évalue toute la compétence ${c.code} « ${c.name} », du niveau 1 au niveau ${maxLevel}.`,
    category: 'COMPETENCES',
    tubes: [{ competence: c.code, level: maxLevel }],
    areKnowledgeElementsResettable: true,
    stages: [
      { kind: 'threshold', value: 0, title: 'Premiers pas', message: 'Vous avez commencé à explorer cette compétence : les tutoriels proposés vous aideront à progresser.', prescriberTitle: 'Débutant', prescriberDescription: 'Aucun acquis validé ou presque.' },
      { kind: 'level', value: 1, title: 'Niveau 1 atteint', message: 'Vous maîtrisez les bases de cette compétence.', prescriberTitle: 'Niveau 1', prescriberDescription: 'Acquis de niveau 1 maîtrisés.' },
      { kind: 'level', value: 3, title: 'Niveau 3 atteint', message: 'Vous êtes autonome sur les usages courants.', prescriberTitle: 'Niveau 3', prescriberDescription: 'Acquis jusqu’au niveau 3 maîtrisés.' },
      { kind: 'level', value: 5, title: 'Niveau 5 atteint', message: 'Vous maîtrisez cette compétence à un niveau avancé.', prescriberTitle: 'Niveau 5', prescriberDescription: 'Acquis jusqu’au niveau 5 maîtrisés.' },
    ],
  }
}

function buildTargetProfile(
  spec: TargetProfileSpecData,
  ctx: {
    tubes: Map<string, Tube>
    skills: Map<string, Skill>
    challenges: Map<string, Challenge>
    competenceByCode: Map<string, Competence>
  },
  file: string,
  path: string,
): TargetProfile {
  const caps = new Map<string, number>()
  spec.tubes.forEach((entry, i) => {
    const names =
      'tube' in entry
        ? [entry.tube]
        : (ctx.competenceByCode.get(entry.competence)?.tubeNames ??
          (() => {
            throw new ContentError(file, `${path}.tubes[${i}].competence`, `unknown competence ${entry.competence}`)
          })())
    for (const n of names) {
      if (!ctx.tubes.has(n)) throw new ContentError(file, `${path}.tubes[${i}].tube`, `unknown tube ${n}`)
      caps.set(n, Math.max(caps.get(n) ?? 0, entry.level))
    }
  })
  const operative = (skillId: string) =>
    ctx.skills.get(skillId)!.challengeIds.some((id) => ctx.challenges.get(id)!.status !== 'périmé')
  const skillIds = [...caps].flatMap(([tubeName, level]) =>
    ctx.tubes.get(tubeName)!.skillIds.filter((id) => ctx.skills.get(id)!.level <= level && operative(id)),
  )
  const skillLevels = skillIds.map((id) => ctx.skills.get(id)!.level)
  const stages: Stage[] = (spec.stages ?? [])
    .map((s) => ({
      ...s,
      // Pix: a level stage's threshold is the share of the profile's skills at or below that level.
      threshold:
        s.kind === 'threshold' ? s.value : Math.round((skillLevels.filter((l) => l <= s.value).length / skillLevels.length) * 100),
    }))
    .sort((a, b) => a.threshold - b.threshold)
  const badges: Badge[] = (spec.badges ?? []).map((b, bi) => ({
    key: b.key,
    title: b.title,
    message: b.message,
    isAlwaysVisible: b.isAlwaysVisible,
    criteria: b.criteria.map((c, ci) => {
      if (c.scope === 'participation') return c
      const ids = c.tubes.flatMap(({ tube, level }) => {
        const t = ctx.tubes.get(tube)
        if (!t || !caps.has(tube))
          throw new ContentError(file, `${path}.badges[${bi}].criteria[${ci}]`, `tube ${tube} is not in the target profile`)
        return t.skillIds.filter((id) => ctx.skills.get(id)!.level <= level && skillIds.includes(id))
      })
      return { scope: 'cappedTubes' as const, threshold: c.threshold, skillIds: ids }
    }),
  }))
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    category: spec.category,
    cappedTubes: [...caps].map(([tubeName, level]) => ({ tubeName, level })),
    skillIds,
    areKnowledgeElementsResettable: spec.areKnowledgeElementsResettable,
    stages,
    badges,
  }
}
