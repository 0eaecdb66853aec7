import { describe, expect, it } from 'vitest';

import { deriveGroupState } from '../../src/domain/package-groups/group-state.js';
import type { BuildState } from '../../src/domain/types.js';

describe('package group state', () => {
  const cases: [BuildState[], BuildState][] = [
    [['Building'], 'Building'],
    [['Building', 'Successful'], 'Building'],
    [['Scanning', 'Building'], 'Building'],
    [['Scanning', 'Successful'], 'Scanning'],
    [['Scanning', 'IssuesFound'], 'Scanning'],
    [['Successful', 'Successful'], 'Successful'],
    [['Successful', 'IssuesFound'], 'IssuesFound'],
    [['IssuesFound', 'Investigating'], 'Investigating'],
    [['Investigating', 'Successful'], 'Investigating'],
    [['Cancelled', 'Building'], 'Building'],
    [['Cancelled', 'Successful'], 'Cancelled'],
    [['Cancelled', 'IssuesFound'], 'IssuesFound'],
    [['Cancelled', 'Investigating'], 'Investigating'],
    [['Cancelled', 'Cancelled'], 'Cancelled'],
  ];
  it.each(cases)('%j → %s', (states, expected) => {
    expect(deriveGroupState(states.map((state) => ({ state })))).toBe(expected);
  });
});
