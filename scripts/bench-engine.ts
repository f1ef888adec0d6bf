/**
 * npm run bench:engine [-- --learners 300 --seed 1 --guess 0.1 --slip 0.1 --ability-mean 2.5 --all-learners N]
 * Simulates the same seeded learners on the real referential with smart-random and jalon-bayes, for each
 * single-competence target profile and for one profile covering all 16 competences; prints the figures side
 * by side and writes them to bench-results/engine.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { algorithms, nextStep, type AlgorithmId, type EngineInput, type NextStep } from '../server/src/assessment/engine'
import { defaultLearnerModel, generateLearners, percentile, runPopulation, type AlgorithmSummary, type LearnerModel } from '../server/src/assessment/engine/simulate'
import { clearJalonBayesCache } from '../server/src/assessment/engine/jalon-bayes'
import { engineBank, type EngineBank } from '../server/src/assessment/engine-input'
import { loadReferential } from '../server/src/content/load-referential'

const { values: args } = parseArgs({
  options: {
    learners: { type: 'string', default: '300' },
    'all-learners': { type: 'string' },
    seed: { type: 'string', default: '1' },
    guess: { type: 'string' },
    slip: { type: 'string' },
    'ability-mean': { type: 'string' },
    'ability-sd': { type: 'string' },
    'tube-sd': { type: 'string' },
  },
})
const learnersPerProfile = Number(args.learners)
const learnersAll = Number(args['all-learners'] ?? args.learners)
const seed = Number(args.seed)
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v))
const model: LearnerModel = {
  ...defaultLearnerModel,
  guess: num(args.guess, defaultLearnerModel.guess),
  slip: num(args.slip, defaultLearnerModel.slip),
  abilityMean: num(args['ability-mean'], defaultLearnerModel.abilityMean),
  abilitySd: num(args['ability-sd'], defaultLearnerModel.abilitySd),
  tubeSd: num(args['tube-sd'], defaultLearnerModel.tubeSd),
}
const ALGORITHMS: AlgorithmId[] = ['smart-random', 'jalon-bayes']

type Measured = AlgorithmSummary & {
  latencyP50Ms: number
  latencyP99Ms: number
  /** Re-timed sample of steps, cold (memo cleared) and best of 5: the CPU cost without the machine's noise. */
  coldP50Ms: number
  coldP99Ms: number
  steps: number
}

const RETIME_SAMPLE = 1500
const RETIME_REPEATS = 5

/** Latency is measured here, around the engine's pure function. */
function measure(algorithm: AlgorithmId, bank: EngineBank, count: number): Measured {
  const times: number[] = []
  const inputs: EngineInput[] = []
  const step = (input: EngineInput): NextStep => {
    const t0 = performance.now()
    const next = nextStep(input)
    times.push(performance.now() - t0)
    // The simulator grows one answers array: keep a copy of the input for re-timing.
    inputs.push({ ...input, answers: [...input.answers] })
    return next
  }
  const learners = generateLearners(bank.skills, count, seed, model)
  const summary = runPopulation({ algorithm, skills: bank.skills, challenges: bank.challenges, learners, model, step })
  const stride = Math.max(1, Math.floor(inputs.length / RETIME_SAMPLE))
  const cold: number[] = []
  for (let i = 0; i < inputs.length; i += stride) {
    let best = Infinity
    for (let r = 0; r < RETIME_REPEATS; r++) {
      clearJalonBayesCache()
      const t0 = performance.now()
      nextStep(inputs[i]!)
      best = Math.min(best, performance.now() - t0)
    }
    cold.push(best)
  }
  return {
    ...summary,
    latencyP50Ms: percentile(times, 0.5),
    latencyP99Ms: percentile(times, 0.99),
    coldP50Ms: percentile(cold, 0.5),
    coldP99Ms: percentile(cold, 0.99),
    steps: times.length,
  }
}

interface Row {
  profile: string
  skills: number
  learners: number
  results: Record<AlgorithmId, Measured>
  questionReduction: number
  accuracyDelta: number
}

function compare(profile: string, bank: EngineBank, count: number): Row {
  const results = Object.fromEntries(ALGORITHMS.map((a) => [a, measure(a, bank, count)])) as Record<AlgorithmId, Measured>
  const sr = results['smart-random']
  const jb = results['jalon-bayes']
  return {
    profile,
    skills: bank.skills.length,
    learners: count,
    results,
    questionReduction: 1 - jb.meanLength / sr.meanLength,
    accuracyDelta: jb.accuracy - sr.accuracy,
  }
}

const referential = loadReferential()
const competenceProfiles = [...referential.targetProfiles.values()]
  .filter((tp) => tp.category === 'COMPETENCES')
  .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))
const allBank = engineBank(referential, { skillIds: competenceProfiles.flatMap((tp) => tp.skillIds) })

// Warm-up (JIT), not measured.
for (const a of ALGORITHMS) measure(a, engineBank(referential, competenceProfiles[0]!), 20)

const singleRows = competenceProfiles.map((tp) => compare(tp.id.replace('tp_competence_', '').replace('_', '.'), engineBank(referential, tp), learnersPerProfile))
const allRow = compare(`all ${competenceProfiles.length}`, allBank, learnersAll)

// Aggregate of (a): every single-competence assessment weighs the same.
const aggregate = (algorithm: AlgorithmId) => {
  const rs = singleRows.map((r) => r.results[algorithm])
  const avg = (f: (m: Measured) => number) => rs.reduce((s, m) => s + f(m), 0) / rs.length
  const skills = singleRows.reduce((s, r) => s + r.skills, 0)
  return {
    meanLength: avg((m) => m.meanLength),
    p90Length: avg((m) => m.p90Length),
    accuracy: singleRows.reduce((s, r) => s + r.results[algorithm].accuracy * r.skills, 0) / skills,
    pixMae: avg((m) => m.pixMae),
    levelMae: avg((m) => m.levelMae),
    latencyP50Ms: avg((m) => m.latencyP50Ms),
    latencyP99Ms: Math.max(...rs.map((m) => m.latencyP99Ms)),
    coldP50Ms: avg((m) => m.coldP50Ms),
    coldP99Ms: Math.max(...rs.map((m) => m.coldP99Ms)),
  }
}
const aggA = { 'smart-random': aggregate('smart-random'), 'jalon-bayes': aggregate('jalon-bayes') }
const aggRow = {
  profile: '(a) mean',
  questionReduction: 1 - aggA['jalon-bayes'].meanLength / aggA['smart-random'].meanLength,
  accuracyDelta: aggA['jalon-bayes'].accuracy - aggA['smart-random'].accuracy,
}

// ---------------------------------------------------------------------------------------------------------
const f = (x: number, d = 1) => x.toFixed(d)
const cells = (m: Omit<Measured, 'algorithm' | 'learners' | 'stopReasons' | 'steps'>) => [
  f(m.meanLength),
  f(m.p90Length, 0),
  f(m.accuracy * 100),
  f(m.pixMae, 2),
  `${f(m.latencyP50Ms, 3)}/${f(m.latencyP99Ms, 3)}`,
  f(m.coldP99Ms, 3),
]
const header = ['profile', 'skills', 'SR len', 'p90', 'acc%', 'pixMAE', 'ms p50/p99', 'cold p99', 'JB len', 'p90', 'acc%', 'pixMAE', 'ms p50/p99', 'cold p99', '−questions', 'Δacc pts']
const lines: string[][] = [
  ...singleRows.map((r) => [r.profile, String(r.skills), ...cells(r.results['smart-random']), ...cells(r.results['jalon-bayes']), `${f(r.questionReduction * 100)}%`, f(r.accuracyDelta * 100, 2)]),
  [aggRow.profile, '', ...cells(aggA['smart-random']), ...cells(aggA['jalon-bayes']), `${f(aggRow.questionReduction * 100)}%`, f(aggRow.accuracyDelta * 100, 2)],
  [allRow.profile, String(allRow.skills), ...cells(allRow.results['smart-random']), ...cells(allRow.results['jalon-bayes']), `${f(allRow.questionReduction * 100)}%`, f(allRow.accuracyDelta * 100, 2)],
]
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
const fmt = (l: string[]) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
console.log(`Referential ${referential.version}; ${learnersPerProfile} learners per competence profile, ${learnersAll} on the 16-competence profile; seed ${seed}`)
console.log(`Learners: ${JSON.stringify(model)}`)
console.log(`SR = smart-random v${algorithms['smart-random'].configVersion}, JB = jalon-bayes v${algorithms['jalon-bayes'].configVersion}; len = questions per test; acc = skill classification accuracy`)
console.log(`ms p50/p99 = wall-clock nextStep during the run; cold p99 = sample of ${RETIME_SAMPLE} steps re-run without memo, best of ${RETIME_REPEATS}`)
console.log(fmt(header))
lines.forEach((l, i) => {
  if (i === singleRows.length) console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  console.log(fmt(l))
})
console.log(`stop reasons (16 competences): SR ${JSON.stringify(allRow.results['smart-random'].stopReasons)}, JB ${JSON.stringify(allRow.results['jalon-bayes'].stopReasons)}`)

const out = join(__dirname, '..', 'bench-results')
mkdirSync(out, { recursive: true })
writeFileSync(
  join(out, 'engine.json'),
  JSON.stringify(
    {
      referentialVersion: referential.version,
      seed,
      learnersPerProfile,
      learnersAll,
      learnerModel: model,
      algorithms: Object.fromEntries(ALGORITHMS.map((a) => [a, { configVersion: algorithms[a].configVersion, config: algorithms[a].defaultConfig }])),
      singleCompetence: singleRows,
      singleCompetenceAggregate: { ...aggA, ...aggRow },
      allCompetences: allRow,
    },
    null,
    2,
  ),
)
console.log(`written ${join('bench-results', 'engine.json')}`)
