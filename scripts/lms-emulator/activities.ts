/** Creating activities (resource links) and their gradebook columns, as Moodle's add-activity form and deep-linking return do. */
import type { EmulatorState } from './state'
import type { Activity, LaunchContainer, LineItem } from './types'

export interface LineItemInput {
  scoreMaximum: number
  label?: string
  resourceId?: string
  tag?: string
  startDateTime?: string
  endDateTime?: string
}

export interface CreateActivityInput {
  name: string
  description?: string
  /** Pin a tool by client id; otherwise Moodle-style resolution by URL domain. */
  toolClientId?: string
  toolUrl?: string
  /** `key=value` lines, or an object (values may use Moodle substitutions such as `$Person.sourcedId`). */
  customParameters?: string | Record<string, string>
  /** The activity's own grade item; `null` = no gradebook column. */
  lineItem?: LineItemInput | null
  launchContainer?: LaunchContainer
  createdBy?: Activity['createdBy']
}

export function customParametersText(input: string | Record<string, string> | undefined): string {
  if (input === undefined) return ''
  if (typeof input === 'string') return input
  return Object.entries(input)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
}

export function createActivity(state: EmulatorState, input: CreateActivityInput): { activity: Activity; lineItem?: LineItem } {
  const tool = input.toolClientId ? state.toolByClientId(input.toolClientId) : undefined
  if (input.toolClientId && !tool) throw new Error(`no tool with client id ${input.toolClientId}`)
  const ids = state.nextActivityIds()
  const activity: Activity = {
    ...ids,
    name: input.name,
    description: input.description ?? '',
    typeId: tool?.typeId,
    toolUrl: input.toolUrl,
    customParameters: customParametersText(input.customParameters),
    launchContainer: input.launchContainer,
    createdBy: input.createdBy ?? 'api',
  }
  state.activities.set(activity.id, activity)
  let lineItem: LineItem | undefined
  if (input.lineItem) {
    lineItem = {
      id: state.nextGradeItemId(),
      courseId: state.course.id,
      typeId: state.toolForActivity(activity)?.typeId ?? '',
      activityId: activity.id,
      // Moodle names the grade item after the activity.
      label: input.name,
      scoreMaximum: input.lineItem.scoreMaximum,
      resourceId: input.lineItem.resourceId ?? '',
      tag: input.lineItem.tag ?? '',
      startDateTime: input.lineItem.startDateTime,
      endDateTime: input.lineItem.endDateTime,
      kind: 'mod',
    }
    state.lineItems.set(lineItem.id, lineItem)
  }
  return { activity, lineItem }
}
