/**
 * CI guard for both algorithms: a small seeded simulation (same learners for both). Floors sit a few points
 * under the measured figures, so a regression in either algorithm fails the build. Timings are not asserted.
 */
import { defaultLearnerModel, generateLearners, runPopulation, scoreRun, simulateAssessment, type AlgorithmSummary } from './simulate'
import { syntheticBank } from './synthetic-bank'
import type { AlgorithmId } from './types'

const model = defaultLearnerModel

function compare(competences: number, learners: number, seed: number): Record<AlgorithmId, AlgorithmSummary> {
  const bank = syntheticBank({ competences, tubeMaxLevels: [5, 6, 4, 5], timedEvery: 7 })
  const population = generateLearners(bank.skills, learners, seed, model)
  const run = (algorithm: AlgorithmId) => runPopulation({ algorithm, skills: bank.skills, challenges: bank.challenges, learners: population, model })
  return { 'smart-random': run('smart-random'), 'jalon-bayes': run('jalon-bayes') }
}

describe('seeded simulation', () => {
  const single = compare(1, 200, 2024)
  const multi = compare(4, 40, 2025)

  it.each([
    ['one competence', single],
    ['four competences', multi],
  ])('%s: both algorithms stay above their accuracy floors', (_, r) => {
    expect(r['smart-random'].accuracy).toBeGreaterThan(0.8)
    expect(r['jalon-bayes'].accuracy).toBeGreaterThan(0.84)
  })

  it.each([
    ['one competence', single],
    ['four competences', multi],
  ])('%s: jalon-bayes is not worse than smart-random and asks fewer questions', (_, r) => {
    const sr = r['smart-random']
    const jb = r['jalon-bayes']
    expect(jb.accuracy).toBeGreaterThanOrEqual(sr.accuracy - 0.005)
    expect(jb.meanLength).toBeLessThan(sr.meanLength * 0.8)
    expect(jb.pixMae).toBeLessThanOrEqual(sr.pixMae + 0.25)
  })

  it('smart-random ends every test by running out of candidates; jalon-bayes by its stop rule', () => {
    expect(Object.keys(single['smart-random'].stopReasons)).toEqual(['no-candidate'])
    expect(single['jalon-bayes'].stopReasons['safety-cap']).toBeUndefined()
  })

  it('gives the same learners the same answers, so runs are reproducible', () => {
    const bank = syntheticBank({ competences: 1, tubeMaxLevels: [5, 6, 4, 5] })
    const [learner] = generateLearners(bank.skills, 1, 9, model)
    const once = simulateAssessment({ algorithm: 'jalon-bayes', skills: bank.skills, challenges: bank.challenges, learner: learner!, model, seed: 3 })
    const twice = simulateAssessment({ algorithm: 'jalon-bayes', skills: bank.skills, challenges: bank.challenges, learner: learner!, model, seed: 3 })
    expect(twice).toEqual(once)
    expect(scoreRun(bank.skills, learner!, once).totalSkills).toBe(bank.skills.length)
  })
})
