/**
 * Raised when a client sends an answer value that cannot belong to the challenge (wrong type,
 * unknown field, index out of range, oversized). The HTTP edge maps `code` to a 400.
 * Defined locally until the shared AppError base exists.
 */
export class InvalidAnswerValue extends Error {
  readonly code = 'INVALID_ANSWER_VALUE'

  constructor(
    readonly challengeId: string,
    reason: string,
  ) {
    super(`invalid answer value for ${challengeId}: ${reason}`)
    this.name = 'InvalidAnswerValue'
  }
}
