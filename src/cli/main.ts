import { Command, CommanderError } from 'commander';

import { GOLDSMITH_VERSION } from '../version.js';
import { ApiError } from './api-client.js';
import { accessKeyCommand } from './commands/access-key-command.js';
import { accountCommand } from './commands/account-command.js';
import { buildCommand } from './commands/build-command.js';
import { catalogCommands } from './commands/catalog-command.js';
import { goldImageCommand } from './commands/gold-image-command.js';
import { instanceCommand } from './commands/instance-command.js';
import { loadFormCommand } from './commands/load-form-command.js';
import { loginCommand } from './commands/login-command.js';
import { operatorCommand } from './commands/operator-command.js';
import { packageGroupCommand } from './commands/package-group-command.js';
import { privateImageCommand } from './commands/private-image-command.js';
import { productCommand } from './commands/product-command.js';
import { reviewCommand } from './commands/review-command.js';
import { serverCommand } from './commands/server-command.js';
import { scanCommand } from './commands/scan-command.js';
import { vulndbCommand } from './commands/vulndb-command.js';
import { webhookCommand } from './commands/webhook-command.js';
import { workerCommand } from './commands/worker-command.js';
import { keysCommand } from './commands/keys-command.js';

const program = new Command('goldsmith')
  .description('Goldsmith: private image build service')
  .version(GOLDSMITH_VERSION)
  .showHelpAfterError();

serverCommand(program);
workerCommand(program);
keysCommand(program);
loginCommand(program);
accountCommand(program);
accessKeyCommand(program);
packageGroupCommand(program);
buildCommand(program);
catalogCommands(program);
operatorCommand(program);
loadFormCommand(program);
reviewCommand(program);
productCommand(program);
vulndbCommand(program);
scanCommand(program);
goldImageCommand(program);
privateImageCommand(program);
instanceCommand(program);
webhookCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ApiError) {
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
  } else if (error instanceof CommanderError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
});
