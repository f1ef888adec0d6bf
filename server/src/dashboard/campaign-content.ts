/**
 * What a campaign's target profile covers, laid out for the dashboard: skills with their tube,
 * competence and area, in referential order. Pure; built from the loaded referential.
 */
import type { Area, Competence, Referential, TargetProfile, Tube, Tutorial } from '../content/types'

export interface CampaignSkill {
  id: string
  name: string
  tubeName: string
  competenceCode: string
  areaCode: string
  level: number
}

export interface CampaignTube {
  tube: Tube
  competence: Competence
  area: Area
  /** Campaign skills of the tube, easiest first. */
  skills: CampaignSkill[]
  tutorials: Tutorial[]
}

export interface CampaignContent {
  targetProfile: TargetProfile
  skills: CampaignSkill[]
  tubes: CampaignTube[]
  competences: { competence: Competence; area: Area; skillIds: string[] }[]
  areas: { area: Area; skillIds: string[] }[]
  /** Pix's maxSkillDifficulty over the whole campaign (used by the pertinence score). */
  maxSkillLevel: number
}

export function campaignContent(referential: Referential, targetProfile: TargetProfile): CampaignContent {
  const areaByCode = new Map(referential.areas.map((a) => [a.code, a]))
  const target = new Set(targetProfile.skillIds)
  const skills: CampaignSkill[] = []
  const tubes: CampaignTube[] = []
  const competences: CampaignContent['competences'] = []
  for (const competence of referential.competences) {
    const area = areaByCode.get(competence.areaCode)!
    const competenceSkillIds: string[] = []
    for (const tubeName of competence.tubeNames) {
      const tube = referential.tubes.get(tubeName)
      if (!tube) continue
      const tubeSkills = tube.skillIds
        .filter((id) => target.has(id))
        .map((id) => referential.skills.get(id)!)
        .map((s) => ({ id: s.id, name: s.name, tubeName: s.tubeName, competenceCode: s.competenceCode, areaCode: competence.areaCode, level: s.level }))
        .sort((a, b) => a.level - b.level)
      if (tubeSkills.length === 0) continue
      const tutorialIds = [...new Set(tubeSkills.flatMap((s) => referential.skills.get(s.id)!.tutorialIds))]
      tubes.push({
        tube,
        competence,
        area,
        skills: tubeSkills,
        tutorials: tutorialIds.flatMap((id) => referential.tutorials.get(id) ?? []),
      })
      skills.push(...tubeSkills)
      competenceSkillIds.push(...tubeSkills.map((s) => s.id))
    }
    if (competenceSkillIds.length) competences.push({ competence, area, skillIds: competenceSkillIds })
  }
  const areas = referential.areas
    .map((area) => ({ area, skillIds: skills.filter((s) => s.areaCode === area.code).map((s) => s.id) }))
    .filter((a) => a.skillIds.length > 0)
  return { targetProfile, skills, tubes, competences, areas, maxSkillLevel: Math.max(0, ...skills.map((s) => s.level)) }
}
