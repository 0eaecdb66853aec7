import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One S3 request that went through the proxy, and the status S3 answered it with. */
export interface RecordedS3Request {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Set once S3 has answered; undefined while it is in flight or if it never was. */
  status: number | undefined;
}

/** A pass-through HTTP proxy in front of an S3 server that records every request. */
export interface S3RecordingProxy {
  /** Give this to a process as its --s3-endpoint. */
  readonly endpoint: string;
  readonly requests: readonly RecordedS3Request[];
  /** Resolves with the first answered request `matches` accepts. */
  waitFor(matches: (request: RecordedS3Request) => boolean): Promise<RecordedS3Request>;
  close(): Promise<void>;
}

/**
 * Starts a proxy to the S3 server at `target`. It forwards the Host header unchanged, so
 * SigV4 signatures, which cover it, still verify; tests see which S3 calls a process made.
 */
export async function startS3RecordingProxy(target: string): Promise<S3RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedS3Request[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((incoming, outgoing) => {
    const recorded: RecordedS3Request = {
      method: incoming.method ?? 'GET',
      url: incoming.url ?? '/',
      headers: incoming.headers,
      status: undefined,
    };
    requests.push(recorded);
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: recorded.method,
        path: recorded.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        answer.once('end', () => {
          recorded.status = answer.statusCode;
          for (const wake of [...waiters]) wake();
        });
      },
    );
    // A client that went away (a killed process) ends its half-sent request upstream too.
    forwarded.on('error', () => outgoing.destroy());
    incoming.on('error', () => forwarded.destroy());
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) forwarded.destroy();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    waitFor(matches) {
      return new Promise((resolve) => {
        const check = (): void => {
          const found = requests.find((r) => r.status !== undefined && matches(r));
          if (found === undefined) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
