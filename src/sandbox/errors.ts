/** JSON:API error documents as the sandbox sends them (`status` is a string, `title` always set). */

export interface ErrorSource {
  pointer?: string;
  parameter?: string;
}

export interface ErrorObject {
  status: string;
  title: string;
  detail: string;
  source?: ErrorSource;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Invalid input',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}

export function errorObject(status: number, detail: string, source?: ErrorSource): ErrorObject {
  const error: ErrorObject = { status: String(status), title: titleFor(status), detail };
  if (source) error.source = source;
  return error;
}

/** An error that becomes a JSON:API error response. */
export class ApiError extends Error {
  readonly errors: ErrorObject[];

  constructor(
    readonly status: number,
    detail: string,
    source?: ErrorSource,
  ) {
    super(detail);
    this.errors = [errorObject(status, detail, source)];
  }

  static many(status: number, errors: ErrorObject[]): ApiError {
    const error = new ApiError(status, errors[0]?.detail ?? titleFor(status));
    error.errors.splice(0, error.errors.length, ...errors);
    return error;
  }
}

export const badRequest = (detail: string, source?: ErrorSource): ApiError => new ApiError(400, detail, source);
export const notFound = (detail: string): ApiError => new ApiError(404, detail);
export const invalid = (detail: string, pointer: string): ApiError => new ApiError(422, detail, { pointer });
export const badParameter = (detail: string, parameter: string): ApiError => new ApiError(400, detail, { parameter });
