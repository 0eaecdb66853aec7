import { writeFileSync } from 'node:fs';

import { renderFindingDocs } from '../src/domain/findings/finding-docs.js';
import { renderErrorDocs } from '../src/errors/error-docs.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorDocs());
writeFileSync(new URL('../docs/findings.md', import.meta.url), renderFindingDocs());
