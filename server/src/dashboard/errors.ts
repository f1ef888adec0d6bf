import { AppError } from '../shared/app-error'

export class ParticipationNotFound extends AppError {
  readonly code = 'PARTICIPATION_NOT_FOUND'
}
