import type { PolicyCheck, PolicyViolation } from './policy-check.js';
import { policyViolation } from './policy-finding-catalogue.js';
import type { PolicyCode } from './policy-finding-catalogue.js';
import { SSHD_CONFIG, firstGlobal, firstPerMatchBlock, readSshdConfig } from './sshd-config.js';
import type { SshdDirective } from './sshd-config.js';

const CHECK_ID = 'sshd-config';

const PASSWORD_AUTH = ['passwordauthentication'];
/** OpenSSH 8.7 made ChallengeResponseAuthentication an alias of KbdInteractiveAuthentication. */
const KBD_INTERACTIVE = ['kbdinteractiveauthentication', 'challengeresponseauthentication'];
const PERMIT_ROOT_LOGIN = ['permitrootlogin'];
const USE_PAM = ['usepam'];

const valueOf = (directive: SshdDirective | undefined): string | undefined =>
  directive?.args[0]?.toLowerCase();

/**
 * Policy: sshd with password authentication off and no password root login, read with
 * sshd_config(5)'s semantics: Include expanded in place, the first obtained value wins,
 * Match blocks apply conditionally (any Match block turning passwords on is a violation).
 *
 * Defaults are upstream OpenSSH's: PasswordAuthentication yes, KbdInteractiveAuthentication
 * yes, UsePAM no, PermitRootLogin prohibit-password. Keyboard-interactive counts as password
 * authentication only with UsePAM yes: then PAM asks for the password (pam_unix); without
 * PAM, sshd offers it only through BSD auth, which Linux lacks.
 */
export const sshdConfigCheck: PolicyCheck = {
  id: CHECK_ID,
  version: 1,
  title: 'sshd with password authentication off and no password root login',
  perFile: false,
  async check(root) {
    const directives = await readSshdConfig(root);
    if (directives === undefined) return [];
    const violations: PolicyViolation[] = [];
    const report = (code: PolicyCode, message: string, directive: SshdDirective | undefined) =>
      violations.push(
        policyViolation(
          CHECK_ID,
          code,
          directive?.matchBlock === undefined ? message : `${message} in "${directive.matchBlock}"`,
          directive === undefined
            ? { path: SSHD_CONFIG }
            : {
                path: directive.file,
                line: directive.line,
                excerpt: directive.text,
                ...(directive.matchBlock === undefined ? {} : { matchBlock: directive.matchBlock }),
              },
        ),
      );

    const password = firstGlobal(directives, PASSWORD_AUTH);
    if (password === undefined) {
      report(
        'POLICY_SSH_PASSWORD_AUTH',
        'PasswordAuthentication is not set, and OpenSSH defaults to yes',
        undefined,
      );
    } else if (valueOf(password) === 'yes') {
      report('POLICY_SSH_PASSWORD_AUTH', 'PasswordAuthentication yes', password);
    }
    for (const directive of firstPerMatchBlock(directives, PASSWORD_AUTH)) {
      if (valueOf(directive) === 'yes') {
        report('POLICY_SSH_PASSWORD_AUTH', 'PasswordAuthentication yes', directive);
      }
    }

    // UsePAM is global-only in sshd_config(5).
    if (valueOf(firstGlobal(directives, USE_PAM)) === 'yes') {
      const kbd = firstGlobal(directives, KBD_INTERACTIVE);
      if (kbd === undefined) {
        report(
          'POLICY_SSH_PASSWORD_AUTH',
          'KbdInteractiveAuthentication is not set (OpenSSH defaults to yes) and UsePAM yes lets PAM ask for a password',
          undefined,
        );
      } else if (valueOf(kbd) === 'yes') {
        report(
          'POLICY_SSH_PASSWORD_AUTH',
          `${kbd.text} with UsePAM yes lets PAM ask for a password`,
          kbd,
        );
      }
      for (const directive of firstPerMatchBlock(directives, KBD_INTERACTIVE)) {
        if (valueOf(directive) === 'yes') {
          report(
            'POLICY_SSH_PASSWORD_AUTH',
            `${directive.text} with UsePAM yes lets PAM ask for a password`,
            directive,
          );
        }
      }
    }

    // Only `yes` allows a root password; prohibit-password (alias without-password),
    // forced-commands-only and no do not.
    const rootLogin = firstGlobal(directives, PERMIT_ROOT_LOGIN);
    if (valueOf(rootLogin) === 'yes') {
      report('POLICY_SSH_ROOT_LOGIN', 'PermitRootLogin yes', rootLogin);
    }
    for (const directive of firstPerMatchBlock(directives, PERMIT_ROOT_LOGIN)) {
      if (valueOf(directive) === 'yes') {
        report('POLICY_SSH_ROOT_LOGIN', 'PermitRootLogin yes', directive);
      }
    }
    return violations;
  },
};
