// Shapes of the /v1 API the console reads; /openapi.json is the full reference.

/** Roles an account can hold (src/domain/types.ts). */
export const ROLES = ['seller', 'buyer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly createdAt: string;
}

/** `POST /v1/session` and `GET /v1/session`. */
export interface Session {
  readonly account: Account;
  readonly csrfToken?: string;
}

export type BuildState =
  'Building' | 'Scanning' | 'Successful' | 'IssuesFound' | 'Investigating' | 'Cancelled';

/** The fields of a package group the console shows so far. */
export interface PackageGroup {
  readonly id: string;
  readonly name: string;
  readonly platform: 'linux' | 'windows';
  readonly osVersions: readonly string[];
  readonly state: BuildState;
  readonly createdAt: string;
}
