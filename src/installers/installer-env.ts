/**
 * The environment of every Linux installer: what a root login shell on an instance has, minus
 * TERM (there is no terminal), plus DEBIAN_FRONTEND so debconf never waits for an answer.
 */
export const LINUX_INSTALLER_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
  DEBIAN_FRONTEND: 'noninteractive',
};

/**
 * argv that runs a staged installer as its first bytes ask: exec'd directly when it starts with
 * `#!` (or, with `execElf`, is an ELF binary), else read by /bin/sh. The choice is made inside the
 * sandbox because the plan is made from paths alone.
 */
export function execOrShellArgv(installerPath: string, options: { execElf: boolean }): string[] {
  const direct = options.execElf ? `"$(printf '\\177ELF')"|'#!'*` : `'#!'*`;
  const script = `case "$(head -c 4 "$1")" in ${direct}) exec "$1" ;; esac; exec /bin/sh "$1"`;
  return ['/bin/sh', '-c', script, 'goldsmith-installer', installerPath];
}
