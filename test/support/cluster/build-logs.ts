import type { ApiClient } from '../../../src/cli/api-client.js';
import type { LogPage } from '../../../src/domain/builds/build-service.js';
import type { LogLine } from '../../../src/domain/types.js';

/** Every line of a build's log so far. */
export async function buildLog(client: ApiClient, buildId: string): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for (let after = 0; ;) {
    const page = await client.request<LogPage>(
      'GET',
      `/v1/builds/${buildId}/logs?after=${after}&limit=1000`,
    );
    lines.push(...page.lines);
    if (page.lines.length === 0) return lines;
    after = page.nextSeq;
  }
}

/** Polls a build's log until a line reads `text` (the installer has got that far). */
export async function waitForLogLine(
  client: ApiClient,
  buildId: string,
  text: string,
  timeoutMs = 600_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await buildLog(client, buildId)).some((line) => line.text === text)) {
    if (Date.now() > deadline) throw new Error(`build ${buildId} never logged "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The system lines that open each attempt: `build …, attempt N`. */
export function attemptLines(lines: readonly LogLine[]): string[] {
  return lines.map((line) => line.text).filter((text) => /^build \S+: .*, attempt \d+$/.test(text));
}
