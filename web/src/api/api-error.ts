/** Codes the console itself gives failures that never reached the API's error catalogue. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';

/** A failed API call: the API's `{code, message}` (docs/errors.md), with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Any thrown value as an ApiError, so every page shows failures the same way. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, 'UNEXPECTED_RESPONSE', message);
}

/** Reads an error reply's `{code, message}` body; falls back to the status line. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  try {
    const body: unknown = await response.json();
    if (isErrorBody(body)) return new ApiError(response.status, body.code, body.message);
  } catch {
    // Not JSON (a proxy's error page, say): described below by its status.
  }
  return new ApiError(
    response.status,
    'UNEXPECTED_RESPONSE',
    `the server answered ${response.status} ${response.statusText}`.trim(),
  );
}

function isErrorBody(body: unknown): body is { code: string; message: string } {
  if (typeof body !== 'object' || body === null) return false;
  const record = body as Record<string, unknown>;
  return typeof record['code'] === 'string' && typeof record['message'] === 'string';
}
