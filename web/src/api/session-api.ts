import type { ApiClient } from './api-client.js';
import { ApiError } from './api-error.js';
import type { Session } from './api-types.js';

/** Signs in with an API token; the server sets the HttpOnly session cookie. */
export function signIn(client: ApiClient, token: string): Promise<Session> {
  return client.request<Session>('POST', '/v1/session', { token });
}

/** The current session, or undefined when the browser holds none. */
export async function currentSession(client: ApiClient): Promise<Session | undefined> {
  try {
    return await client.request<Session>('GET', '/v1/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

/** Ends the session on the server. */
export function signOut(client: ApiClient): Promise<void> {
  return client.request<void>('DELETE', '/v1/session');
}
