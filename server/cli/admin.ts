import { parseArgs } from 'node:util';
import { Title } from '../../shared/schema/api.js';
import { Role } from '../../shared/schema/roles.js';
import { AuthStore } from '../auth/auth-store.js';
import { hashPassword } from '../auth/secrets.js';
import { loadConfig } from '../config.js';
import { invitationDelegation } from '../auth/invitation-identity.js';
import { joinUrl } from '../http/invitation-routes.js';
import { openStorage } from '../storage/open-storage.js';
import { createLogger } from '../log.js';
import { DocumentStore } from '../storage/document-store.js';
import { newDocumentId } from '../storage/document-ids.js';
import { DATA_USAGE, dataCommands } from './admin-data.js';

/**
 * Administration without a running server, on DATA_DIR (safe while the server
 * runs: SQLite in WAL mode takes both). For scripts and tests:
 *
 *   npm run admin -- create-document --title "Draft report"
 *   npm run admin -- invite --document <id> --role delegate --delegation Egypt [--expires-hours 48] [--label "..."]
 *   npm run admin -- create-account --name "Secretariat" --password "..."
 *   npm run admin -- backup --out backup.sqlite3 · restore backup.sqlite3 · check
 *
 * Every command opening DATA_DIR's database refuses one that is not ours, newer
 * or damaged, as the server does at start (server/storage/database.ts).
 */
const USAGE = `usage:
  npm run admin -- create-document --title <title>
  npm run admin -- invite --document <id> --role <secretariat|chair|delegate|commenter|observer> [--delegation <name>] [--label <text>] [--expires-hours <n>]
  npm run admin -- create-account --name <name> --password <password>
${DATA_USAGE}`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      document: { type: 'string' },
      role: { type: 'string' },
      delegation: { type: 'string' },
      label: { type: 'string' },
      'expires-hours': { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      out: { type: 'string' },
      file: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const dataCommand = command && Object.hasOwn(dataCommands, command) ? dataCommands[command] : undefined;
  if (dataCommand && config.database) {
    throw new Error(`"${command}" works on the SQLite file in DATA_DIR; with DATABASE_URL, use PostgreSQL's own tools (pg_dump, pg_restore, amcheck)`);
  }
  if (dataCommand) {
    await dataCommand({ dataDir: config.dataDir, out: values.out, file: values.file, force: values.force ?? false, positionals });
    return;
  }
  const db = openStorage(config, createLogger('warn'));
  try {
    const store = new DocumentStore(db);
    const auth = new AuthStore(db);
    switch (command) {
      case 'create-document': {
        const title = Title.parse(values.title ?? '');
        const id = newDocumentId();
        store.create({ id, title });
        console.log(id);
        return;
      }
      case 'invite': {
        const documentId = values.document ?? '';
        if (!store.exists(documentId)) throw new Error(`No document with id "${documentId}"`);
        const role = Role.parse(values.role);
        const delegation = invitationDelegation({ role, delegation: values.delegation, label: values.label }, auth.listInvitations(documentId));
        const hours = values['expires-hours'] ? Number(values['expires-hours']) : null;
        if (hours !== null && !(hours > 0)) throw new Error('--expires-hours must be a positive number');
        const { token } = auth.createInvitation({
          documentId,
          role,
          delegation,
          label: values.label ?? delegation,
          createdBy: 'admin command line',
          expiresAt: hours ? new Date(Date.now() + hours * 3_600_000) : null,
        });
        const base = config.publicUrl ?? `http://${config.host}:${config.port}`;
        console.log(`link:  ${joinUrl(base, token)}`);
        console.log(`token: ${token}`);
        return;
      }
      case 'create-account': {
        if (!values.name || !values.password || values.password.length < 10) {
          throw new Error('--name and a --password of at least 10 characters are required');
        }
        auth.createAccount(values.name, await hashPassword(values.password));
        console.log(`secretariat account "${values.name}" created`);
        return;
      }
      default:
        throw new Error(USAGE);
    }
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
