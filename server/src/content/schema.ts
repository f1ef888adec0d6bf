/**
 * zod schemas of the learning-content JSON files (server/src/content/data).
 * They are the edge of the content module: files are parsed once at load, and the
 * rest of Jalon only sees the plain types of ./types.ts.
 */
import { z } from 'zod'

const nonEmpty = z.string().trim().min(1)

/** Treatments that can be switched off per challenge (Pix: t1 normalise, t2 punctuation, t3 Levenshtein). */
export const Deactivations = z
  .object({ t1: z.boolean().optional(), t2: z.boolean().optional(), t3: z.boolean().optional() })
  .strict()

const ChallengeBase = z.object({
  /** Stable id, never reused: answers and replays point to it. */
  id: z.string().regex(/^ch_[a-z0-9_]+$/, 'challenge ids look like ch_<tube>_<level>_<n> (lower case)'),
  /** What this challenge checks, for teachers and reviewers (not shown to learners). */
  checks: nonEmpty,
  /** Instruction in Markdown (bold, italic, lists, links). */
  instruction: nonEmpty,
  /** Optional timer in seconds. */
  timer: z.number().int().min(10).max(600).optional(),
  /** Optional explanation shown on the "Réponses et tutoriels" screen. */
  explanation: z.string().optional(),
  status: z.enum(['validé', 'archivé', 'périmé']).default('validé'),
})

export const QcuChallenge = ChallengeBase.extend({
  type: z.literal('QCU'),
  proposals: z.array(nonEmpty).min(2).max(8),
  /** 1-based index of the right proposal. */
  solution: z.number().int().min(1),
}).strict()

export const QcmChallenge = ChallengeBase.extend({
  type: z.literal('QCM'),
  proposals: z.array(nonEmpty).min(3).max(8),
  /** 1-based indexes of every right proposal (order does not matter). */
  solution: z.array(z.number().int().min(1)).min(2),
}).strict()

export const QrocChallenge = ChallengeBase.extend({
  type: z.literal('QROC'),
  /** 'nombre' compares numbers; 'texte' applies the text treatments. */
  format: z.enum(['texte', 'nombre']).default('texte'),
  label: nonEmpty,
  placeholder: z.string().optional(),
  /** Accepted answers (alternatives); the first one is shown as "the" answer. */
  solutions: z.array(nonEmpty).min(1),
  deactivations: Deactivations.optional(),
}).strict()

const Field = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]*$/),
    label: nonEmpty,
    placeholder: z.string().optional(),
    /** When set, the field is a drop-down list: treatments are off for it. */
    options: z.array(nonEmpty).min(2).optional(),
  })
  .strict()

export const QrocmIndChallenge = ChallengeBase.extend({
  type: z.literal('QROCM-ind'),
  format: z.enum(['texte', 'nombre']).default('texte'),
  fields: z.array(Field.extend({ solutions: z.array(nonEmpty).min(1) }).strict()).min(2),
  deactivations: Deactivations.optional(),
}).strict()

export const QrocmDepChallenge = ChallengeBase.extend({
  type: z.literal('QROCM-dep'),
  format: z.enum(['texte', 'nombre']).default('texte'),
  /** Interchangeable fields: each answer may match any group, a group counts once. */
  fields: z.array(Field).min(2),
  /** Each group lists the variants of one expected answer. At least as many groups as fields. */
  solutionGroups: z.array(z.array(nonEmpty).min(1)).min(2),
  deactivations: Deactivations.optional(),
}).strict()

export const Challenge = z.discriminatedUnion('type', [
  QcuChallenge,
  QcmChallenge,
  QrocChallenge,
  QrocmIndChallenge,
  QrocmDepChallenge,
])

export const Tutorial = z
  .object({
    id: z.string().regex(/^tuto_[a-z0-9_]+$/),
    title: nonEmpty,
    url: z.url(),
    source: nonEmpty,
    format: z.enum(['page', 'vidéo', 'pdf', 'outil', 'son']),
    /** Duration in minutes. */
    duration: z.number().int().min(1).max(180),
  })
  .strict()

export const Skill = z
  .object({
    level: z.number().int().min(1).max(8),
    /** Short statement of the skill (what the learner can do). */
    description: nonEmpty,
    tutorialIds: z.array(z.string()).min(1),
    challenges: z.array(Challenge).min(1),
  })
  .strict()

export const Tube = z
  .object({
    /** camelCase tube name; skills are named @<name><level>. */
    name: z.string().regex(/^[a-z][a-zA-Z0-9]+$/),
    practicalTitle: nonEmpty,
    practicalDescription: nonEmpty,
    skills: z.array(Skill).min(1),
  })
  .strict()

export const CompetenceFile = z
  .object({
    $schemaVersion: z.literal(1),
    code: z.string().regex(/^[1-5]\.[1-6]$/),
    name: nonEmpty,
    description: nonEmpty,
    tubes: z.array(Tube).min(1),
    tutorials: z.array(Tutorial),
  })
  .strict()

export const AreasFile = z
  .object({
    $schemaVersion: z.literal(1),
    areas: z
      .array(
        z
          .object({
            code: z.string().regex(/^[1-5]$/),
            title: nonEmpty,
            color: z.enum(['jaffa', 'emerald', 'cerulean', 'wild-strawberry', 'butterfly-bush']),
          })
          .strict(),
      )
      .length(5),
  })
  .strict()

const Stage = z
  .object({
    /** 'threshold' uses a mastery percentage, 'level' is converted to a threshold (Pix's rule). */
    kind: z.enum(['threshold', 'level']),
    value: z.number().int().min(0).max(100),
    title: nonEmpty,
    message: nonEmpty,
    prescriberTitle: nonEmpty,
    prescriberDescription: nonEmpty,
  })
  .strict()

const BadgeCriterion = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('participation'), threshold: z.number().int().min(1).max(100) }).strict(),
  z
    .object({
      scope: z.literal('cappedTubes'),
      threshold: z.number().int().min(1).max(100),
      tubes: z.array(z.object({ tube: z.string(), level: z.number().int().min(1).max(8) }).strict()).min(1),
    })
    .strict(),
])

export const TargetProfileSpec = z
  .object({
    id: z.string().regex(/^tp_[a-z0-9_]+$/),
    name: nonEmpty,
    description: nonEmpty,
    category: z.enum(['COMPETENCES', 'THEMATIQUES', 'PREDEFINED', 'CUSTOM']),
    /** Tubes with their cap. `{ competence: "1.1", level: 5 }` takes every tube of a competence. */
    tubes: z
      .array(
        z.union([
          z.object({ tube: z.string(), level: z.number().int().min(1).max(8) }).strict(),
          z.object({ competence: z.string(), level: z.number().int().min(1).max(8) }).strict(),
        ]),
      )
      .min(1),
    areKnowledgeElementsResettable: z.boolean().default(false),
    stages: z.array(Stage).optional(),
    badges: z
      .array(
        z
          .object({
            key: z.string().regex(/^[A-Z0-9_]+$/),
            title: nonEmpty,
            message: nonEmpty,
            isAlwaysVisible: z.boolean().default(false),
            criteria: z.array(BadgeCriterion).min(1),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()

export const TargetProfilesFile = z
  .object({ $schemaVersion: z.literal(1), targetProfiles: z.array(TargetProfileSpec) })
  .strict()

export type CompetenceFileData = z.infer<typeof CompetenceFile>
export type ChallengeData = z.infer<typeof Challenge>
export type TutorialData = z.infer<typeof Tutorial>
export type TargetProfileSpecData = z.infer<typeof TargetProfileSpec>
