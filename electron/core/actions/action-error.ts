// Why an action request was refused before anything ran: a bad selection, nothing to retry or undo, an
// action that cannot be undone. The message says it to a person; `code` is for callers that branch.
export type ActionErrorCode = 'bad-selection' | 'nothing-to-do' | 'not-undoable' | 'already-running';

export class ActionError extends Error {
  override readonly name = 'ActionError';
  constructor(
    readonly code: ActionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
