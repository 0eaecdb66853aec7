import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { DEFAULT_PORT } from '../config/config.js';
import { loadCredentials } from './credentials.js';

/** An error answer of the API, with its stable code. */
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

/** A small client of the Goldsmith REST API. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** A client from the environment or the stored login. */
  static async fromEnvironment(): Promise<ApiClient> {
    const credentials = await loadCredentials();
    return new ApiClient(credentials.url ?? `http://127.0.0.1:${DEFAULT_PORT}`, credentials.token);
  }

  /** Sends a JSON request and parses the JSON answer. */
  async request<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await this.send(method, route, {
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Streams a file to `POST /v1/packages`. */
  async uploadPackage<T>(
    filePath: string,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<T> {
    return this.uploadFile<T>(
      'POST',
      `/v1/packages?fileName=${encodeURIComponent(path.basename(filePath))}`,
      filePath,
      onProgress,
    );
  }

  /** Streams a file as an `application/octet-stream` body and parses the JSON answer. */
  async uploadFile<T>(
    method: string,
    route: string,
    filePath: string,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<T> {
    const { size } = await stat(filePath);
    let sent = 0;
    const file = createReadStream(filePath);
    file.on('data', (chunk) => {
      sent += chunk.length;
      onProgress?.(sent, size);
    });
    const response = await this.send(method, route, {
      body: Readable.toWeb(file) as ReadableStream,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      duplex: 'half',
    });
    return (await response.json()) as T;
  }

  /** A streamed answer, for downloads. */
  async download(route: string): Promise<Readable> {
    const response = await this.send('GET', route, {});
    if (response.body === null)
      throw new ApiError(response.status, 'EMPTY_RESPONSE', 'the server sent no body');
    return Readable.fromWeb(response.body as WebReadableStream);
  }

  private async send(
    method: string,
    route: string,
    init: RequestInit & { duplex?: 'half' },
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token !== undefined) headers.set('authorization', `Bearer ${this.token}`);
    let response: Response;
    try {
      response = await fetch(new URL(route, this.baseUrl), { ...init, method, headers });
    } catch (error) {
      const cause =
        error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new ApiError(
        0,
        'CONNECTION_FAILED',
        `cannot reach Goldsmith at ${this.baseUrl}${cause}`,
      );
    }
    if (!response.ok) {
      const text = await response.text();
      let parsed: { code?: string; message?: string } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        // Not one of our error bodies (a proxy's page, say): show the text.
      }
      throw new ApiError(
        response.status,
        parsed.code ?? `HTTP_${response.status}`,
        parsed.message ?? text,
      );
    }
    return response;
  }
}
