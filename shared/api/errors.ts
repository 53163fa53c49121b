// Errors that cross the contract boundary: a stable code plus a message a person can act on.
export type ApiErrorCode = 'bad-request' | 'unknown-method' | 'unauthorized' | 'internal' | 'unavailable';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}
