import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { newAccountId, newId } from '../ids.js';
import type { Account, ApiToken, Role } from '../types.js';
import { hashTokenSecret, newTokenSecret } from './api-token.js';

export interface IssuedToken {
  readonly tokenId: string;
  /** The secret; returned once, only its hash is kept. */
  readonly token: string;
}

const ACCOUNT_NAME = /^[\p{L}\p{N} ._@-]{1,100}$/u;
/** The once-marker of creating the first operator. */
const OPERATOR_BOOTSTRAP = 'operator-bootstrap';

/** Accounts, their roles and their API tokens. */
export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates the first operator account if there is no account yet; returns its token then.
   * Exactly once per database, however many servers start together on it.
   */
  async bootstrap(): Promise<(IssuedToken & { account: Account }) | undefined> {
    return this.store.transaction(async (tx) => {
      // Counting alone races: two servers could both see no account. The marker is inserted by
      // one transaction only; the others wait for it to commit and find the marker taken.
      const claimed = await tx.coordination.claimOnce(
        OPERATOR_BOOTSTRAP,
        this.clock.now().toISOString(),
      );
      // A database whose accounts predate the marker already has its operator.
      if (!claimed || (await tx.accounts.count()) > 0) return undefined;
      return new AccountService(tx, this.clock).create('operator', ['operator']);
    });
  }

  /** Creates an account with a first API token. */
  async create(name: string, roles: readonly Role[]): Promise<IssuedToken & { account: Account }> {
    if (!ACCOUNT_NAME.test(name)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'account name must be 1-100 letters, digits, spaces or . _ @ -',
      );
    }
    if (roles.length === 0)
      throw new DomainError('VALIDATION_FAILED', 'an account needs at least one role');
    const account: Account = {
      id: newAccountId(),
      name,
      roles: [...new Set(roles)],
      createdAt: this.clock.now().toISOString(),
    };
    await this.store.accounts.insert(account);
    const issued = await this.issueToken(account.id, 'initial');
    return { ...issued, account };
  }

  /** Issues another API token for an account. */
  async issueToken(accountId: string, name: string): Promise<IssuedToken> {
    if ((await this.store.accounts.get(accountId)) === undefined) {
      throw new DomainError('ACCOUNT_NOT_FOUND', `account ${accountId} does not exist`);
    }
    const secret = newTokenSecret();
    const token: ApiToken = {
      id: newId('tok'),
      accountId,
      name,
      secretHash: hashTokenSecret(secret),
      createdAt: this.clock.now().toISOString(),
    };
    await this.store.tokens.insert(token);
    return { tokenId: token.id, token: secret };
  }

  /** The account a token secret belongs to, or undefined for an unknown secret. */
  async authenticate(secret: string): Promise<Account | undefined> {
    const token = await this.store.tokens.findBySecretHash(hashTokenSecret(secret));
    return token === undefined ? undefined : this.store.accounts.get(token.accountId);
  }

  /** Every account, for operators. */
  async list(): Promise<Account[]> {
    return this.store.accounts.list();
  }

  /** One account by id. */
  async get(accountId: string): Promise<Account> {
    const account = await this.store.accounts.get(accountId);
    if (account === undefined)
      throw new DomainError('ACCOUNT_NOT_FOUND', `account ${accountId} does not exist`);
    return account;
  }

  /** Tokens of an account, without their secrets. */
  async listTokens(accountId: string): Promise<ApiToken[]> {
    return this.store.tokens.listForAccount(accountId);
  }

  /** Revokes one token of an account: requests with it fail from then on. */
  async revokeToken(accountId: string, tokenId: string): Promise<void> {
    if (!(await this.store.tokens.delete(accountId, tokenId)))
      throw new DomainError('NOT_FOUND', `account ${accountId} has no token ${tokenId}`);
  }
}

/** Throws FORBIDDEN_ROLE unless the account holds `role`. */
export function requireRole(account: Account, role: Role): void {
  if (!account.roles.includes(role)) {
    throw new DomainError('FORBIDDEN_ROLE', `this action needs the ${role} role`);
  }
}
