// Mirrors checkGroupName in src/domain/package-groups/package-group-rules.ts, so the form can
// say what is wrong while the seller types; the API checks again on submit.
const GROUP_NAME = /^[A-Za-z0-9_-]{1,99}$/;
const REVISION = /^(.*)_r(\d+)$/;

/** What is wrong with a package group name, or undefined when the rules allow it. */
export function groupNameProblem(name: string, usedNames: ReadonlySet<string>): string | undefined {
  if (name.length === 0) return 'Enter a name.';
  if (name.length >= 100) return `The name has ${name.length} characters; the limit is 99.`;
  if (!GROUP_NAME.test(name)) {
    const bad = [...name].find((c) => !/[A-Za-z0-9_-]/.test(c)) ?? '';
    return `The name contains “${bad}”; use only letters, digits, underscores and dashes.`;
  }
  if (usedNames.has(name)) return `${name} was used before; a name can be used only once.`;
  return undefined;
}

/** The next revision of a name not used yet: `agent_r1` → `agent_r2`, `agent` → `agent_r2`. */
export function nextRevisionName(name: string, usedNames: ReadonlySet<string>): string {
  const match = REVISION.exec(name);
  const base = match === null ? name : match[1]!;
  let revision = match === null ? 2 : Number(match[2]) + 1;
  while (usedNames.has(`${base}_r${revision}`)) revision += 1;
  return `${base}_r${revision}`;
}
