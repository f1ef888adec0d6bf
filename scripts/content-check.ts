/**
 * npm run content:check — loads the referential (fails with file + path on the first bad entry),
 * then checks the coverage rules Jalon promises teachers and prints the counts.
 */
import { loadReferential, ContentError } from '../server/src/content/load-referential'
import { checkCoverage } from '../server/src/content/coverage'

try {
  const ref = loadReferential(process.argv[2])
  const report = checkCoverage(ref)
  console.log(`Référentiel ${ref.version}`)
  console.table(report.perCompetence)
  console.log(
    `${ref.areas.length} domaines, ${ref.competences.length} compétences, ${ref.tubes.size} sujets, ${ref.skills.size} acquis, ` +
      `${ref.challenges.size} épreuves, ${ref.tutorials.size} tutoriels, ${ref.targetProfiles.size} parcours`,
  )
  console.log(`types d'épreuves: ${JSON.stringify(report.challengeTypes)}`)
  if (report.problems.length) {
    console.error(`\n${report.problems.length} problème(s) de couverture:`)
    for (const p of report.problems) console.error(`  - ${p}`)
    process.exit(1)
  }
  console.log('OK')
} catch (err) {
  if (err instanceof ContentError) {
    console.error(`Contenu invalide: ${err.message}`)
    process.exit(1)
  }
  throw err
}
