import type { PolicyEvidence, PolicySeverity, PolicyViolation } from './policy-check.js';

/** One kind of policy violation: the marketplace image policy it enforces and how to fix it. */
export interface PolicyFindingKind {
  readonly severity: PolicySeverity;
  /** The marketplace image policy (issue 4, section 4) the code enforces. */
  readonly rule: string;
  readonly title: string;
  readonly remedy: string;
}

/** Every code a policy check can report; violations are made only through policyViolation. */
export const POLICY_FINDING_CATALOGUE = {
  POLICY_BLANK_PASSWORD: {
    severity: 'critical',
    rule: 'No blank or null root password.',
    title: 'An account that can log in has an empty password',
    remedy:
      'Lock the account (`passwd -l root`, i.e. `*` or `!` in /etc/shadow) and let instances set credentials at first boot (cloud-init).',
  },
  POLICY_LOGIN_PASSWORD_HASH: {
    severity: 'high',
    rule: 'No password hashes for login accounts.',
    title: 'A login account has a usable password hash',
    remedy:
      'Replace the hash with `*` or lock it (`passwd -l USER`); every instance of the image would otherwise share the password.',
  },
  POLICY_SSH_PASSWORD_AUTH: {
    severity: 'high',
    rule: 'sshd with password authentication off.',
    title: 'sshd accepts passwords',
    remedy:
      'Set `PasswordAuthentication no` (and `KbdInteractiveAuthentication no` when UsePAM is yes) in a file under /etc/ssh/sshd_config.d/ read before any other, and in no Match block turn it back on.',
  },
  POLICY_SSH_ROOT_LOGIN: {
    severity: 'high',
    rule: 'sshd with no password root login.',
    title: 'sshd lets root log in with a password',
    remedy: 'Set `PermitRootLogin prohibit-password` or `no`, globally and in every Match block.',
  },
  POLICY_AUTHORIZED_KEYS: {
    severity: 'high',
    rule: 'No authorized_keys files.',
    title: 'The image contains an authorized_keys file',
    remedy:
      'Remove the file; keys for an instance are installed at first boot by the buyer (cloud-init), never baked into the image.',
  },
  POLICY_PRIVATE_KEY: {
    severity: 'critical',
    rule: 'No private keys in the filesystem.',
    title: 'The image contains a private key',
    remedy:
      'Remove the key from the image and revoke it; generate keys on the instance at first boot instead.',
  },
  POLICY_SSH_HOST_KEYS: {
    severity: 'high',
    rule: 'No private keys in the filesystem (every instance would share the SSH host keys).',
    title: 'The image contains SSH host keys',
    remedy:
      'Delete /etc/ssh/ssh_host_*key* at the end of the build; sshd regenerates them at first boot (`ssh-keygen -A`, or the distribution unit that does).',
  },
  POLICY_CLOUD_CREDENTIALS: {
    severity: 'critical',
    rule: 'No cloud credentials or other secrets in the filesystem.',
    title: 'The image contains cloud credentials',
    remedy:
      'Remove the credentials from the image, revoke them at the provider, and obtain credentials at run time (instance roles, workload identity, a secret store).',
  },
  POLICY_OS_END_OF_LIFE: {
    severity: 'high',
    rule: 'No end-of-life operating system.',
    title: 'The operating system is past its end of life',
    remedy: 'Rebuild on a base image whose operating system still receives security updates.',
  },
  POLICY_MALWARE: {
    severity: 'critical',
    rule: 'No malware (the EICAR test file always, ClamAV signatures when available).',
    title: 'Malware was found in the image',
    remedy: 'Remove the file, find out how it got into the package group, and rebuild.',
  },
} as const satisfies Record<string, PolicyFindingKind>;

/** A stable policy violation code. */
export type PolicyCode = keyof typeof POLICY_FINDING_CATALOGUE;

/** Makes a violation whose severity and remedy come from the catalogue. */
export function policyViolation(
  checkId: string,
  code: PolicyCode,
  message: string,
  evidence: PolicyEvidence,
): PolicyViolation {
  const kind: PolicyFindingKind = POLICY_FINDING_CATALOGUE[code];
  return { checkId, code, severity: kind.severity, message, remedy: kind.remedy, evidence };
}
