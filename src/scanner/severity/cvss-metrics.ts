/** Why a vector string was rejected. */
export class CvssVectorError extends Error {
  /** Builds the error for `vector`, with the reason it is invalid. */
  constructor(
    readonly vector: string,
    reason: string,
  ) {
    super(`invalid CVSS vector ${JSON.stringify(vector)}: ${reason}`);
    this.name = 'CvssVectorError';
  }
}

/**
 * Splits the metrics part of a CVSS vector (`AV:N/AC:L/...`) into a map,
 * checking each against the allowed values. Order is not enforced, as
 * producers vary; each metric may appear only once (v3.1 §6, v4.0 §7), and
 * every base metric must be there.
 */
export function parseCvssMetrics(
  vector: string,
  body: string,
  allowed: Readonly<Record<string, readonly string[]>>,
  baseMetrics: readonly string[],
): Record<string, string> {
  const metrics: Record<string, string> = {};
  for (const part of body.split('/')) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined || key === '') {
      throw new CvssVectorError(vector, `malformed metric ${JSON.stringify(part)}`);
    }
    const values = allowed[key];
    if (!values) throw new CvssVectorError(vector, `unknown metric ${key}`);
    if (Object.hasOwn(metrics, key)) throw new CvssVectorError(vector, `duplicate metric ${key}`);
    if (!values.includes(value)) {
      throw new CvssVectorError(vector, `unknown value ${value} for metric ${key}`);
    }
    metrics[key] = value;
  }
  const missing = baseMetrics.filter((key) => !Object.hasOwn(metrics, key));
  if (missing.length > 0) {
    throw new CvssVectorError(vector, `missing base metric(s) ${missing.join(', ')}`);
  }
  return metrics;
}
