import { ApiError, apiErrorOf } from './api-error.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the /v1 API with the session cookie (sent by the browser) and, on
 * requests that change something, the session's CSRF token. Every failure is
 * thrown as an ApiError.
 */
export class ApiClient {
  private csrfToken: string | undefined;

  constructor(
    /** Told when the API says the session is gone, so the app can ask to sign in again. */
    private readonly onUnauthenticated: () => void = () => undefined,
  ) {}

  /** Sets the CSRF token that `POST /v1/session` or `GET /v1/session` returned. */
  useCsrfToken(token: string | undefined): void {
    this.csrfToken = token;
  }

  /** Sends a request and returns its JSON body (undefined for 204). */
  async request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken !== undefined) headers['x-csrf-token'] = this.csrfToken;
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ApiError(
        0,
        'NETWORK_ERROR',
        `could not reach the Goldsmith server (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (!response.ok) {
      const error = await apiErrorOf(response);
      if (error.status === 401 && !path.startsWith('/v1/session')) this.onUnauthenticated();
      throw error;
    }
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', `${path} did not answer JSON`);
    }
  }

  /**
   * Sends a file as the raw request body (`application/octet-stream`), telling `onProgress` the
   * bytes sent so far, and returns the JSON answer. XMLHttpRequest, since fetch reports no upload
   * progress.
   */
  upload<T>(
    path: string,
    file: Blob,
    onProgress: (sentBytes: number, totalBytes: number) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.setRequestHeader('accept', 'application/json');
      if (this.csrfToken !== undefined) xhr.setRequestHeader('x-csrf-token', this.csrfToken);
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.total || file.size);
      xhr.onerror = () =>
        reject(new ApiError(0, 'NETWORK_ERROR', 'could not reach the Goldsmith server'));
      xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'the upload was cancelled'));
      xhr.onload = () => {
        const response = new Response(xhr.responseText, {
          status: xhr.status,
          headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' },
        });
        if (xhr.status < 200 || xhr.status >= 300) {
          void apiErrorOf(response).then((error) => {
            if (error.status === 401) this.onUnauthenticated();
            reject(error);
          }, reject);
          return;
        }
        response.json().then(
          (body) => resolve(body as T),
          () =>
            reject(new ApiError(xhr.status, 'UNEXPECTED_RESPONSE', `${path} did not answer JSON`)),
        );
      };
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(file);
    });
  }
}
