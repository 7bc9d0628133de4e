import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions } from './args.ts';
import { AppDbConfigError, appDbConfig, redactUrl } from '../lib/server/appdb/config.ts';
import { createAppDb, type AppDb } from '../lib/server/appdb/client.ts';
import { ROLES } from '../lib/server/auth/principal.ts';
import { addUser, listUsers, parseRegions, parseRole, resetPassword, setDisabled, setRegions, setRole, UserError } from '../lib/server/auth/users.ts';
import { auditUserChange } from '../lib/server/auth/audit.ts';
import { MIN_PASSWORD_LENGTH } from '../lib/server/auth/passwords.ts';

const SUBCOMMANDS = ['add', 'list', 'disable', 'enable', 'reset', 'set'] as const;

/** The password from standard input: everything up to EOF, without the final line break. */
async function readPassword(): Promise<string> {
	if (process.stdin.isTTY) process.stderr.write(`password (at least ${MIN_PASSWORD_LENGTH} characters), then Ctrl-D: `);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of process.stdin) {
		size += (chunk as Buffer).length;
		if (size > 4096) throw new UserError('the password on standard input is longer than 4096 bytes');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks)
		.toString('utf8')
		.replace(/\r?\n$/, '');
}

export const userCommand: Command = {
	name: 'user',
	summary: 'accounts',
	usage: `Usage: tianshu user add NAME --role ROLE --region ADCODE[,ADCODE…]   (password on standard input)
       tianshu user list
       tianshu user disable|enable NAME
       tianshu user reset NAME
       tianshu user set NAME [--role ROLE] [--region ADCODE[,ADCODE…]]

Local accounts of the web app. Roles: ${ROLES.join(', ')}. Each user sees the
regions given (0 = the nation) and everything below them, and only the screens
and API procedures of their role.

  add NAME …       create an account; its password is read from standard input,
                   e.g. printf '%s' "$PASSWORD" | tianshu user add li --role analyst --region 440300
  list             every account: role, regions, state
  disable NAME     the account can no longer sign in; its sessions end
  enable NAME      it can sign in again
  reset NAME       a new one-time password, printed once on standard output, to be
                   changed at the next sign-in; the account's sessions end and a lockout is lifted
  set NAME …       change the role and/or the regions; the account's sessions end

Uses the app database (DATABASE_URL, or the embedded one: see tianshu appdb).`,
	async run(args) {
		const [sub, ...rest] = args;
		if (!(SUBCOMMANDS as readonly string[]).includes(sub ?? ''))
			throw new UsageError(`say ${SUBCOMMANDS.join(', ')}${sub ? `, not '${sub.slice(0, 40)}'` : ''}`);
		const name = sub === 'list' ? undefined : rest[0];
		if (sub !== 'list' && (!name || name.startsWith('-'))) throw new UsageError(`tianshu user ${sub} needs a NAME`);
		const o = parseOptions(sub === 'list' ? rest : rest.slice(1), { role: { type: 'string' }, region: { type: 'string' } });
		if ((sub === 'add' || sub === 'set') === false && (o.role !== undefined || o.region !== undefined))
			throw new UsageError(`tianshu user ${sub} takes no --role or --region`);
		let url: string;
		try {
			url = appDbConfig().url;
		} catch (e) {
			if (!(e instanceof AppDbConfigError)) throw e;
			console.error(`tianshu user: ${e.message}`);
			return 2;
		}
		let db: AppDb | undefined;
		try {
			// Arguments first, so a typo costs no connection and no password prompt.
			const role = o.role === undefined ? undefined : parseRole(o.role);
			const regions = o.region === undefined ? undefined : parseRegions(o.region);
			if (sub === 'add' && (!role || !regions)) throw new UsageError('add needs --role and --region');
			if (sub === 'set' && !role && !regions) throw new UsageError('set needs --role and/or --region');
			db = createAppDb(url, { max: 1 });
			if (sub === 'add') {
				const password = await readPassword();
				const user = await addUser(db, { name: name!, role: role!, regions: regions!, password });
				await auditUserChange(db, 'user_change', { action: 'add', user: user.name, role: user.role }, user.regions);
				console.log(`user '${user.name}' added: ${user.role}, regions ${user.regions.join(',')}`);
			} else if (sub === 'list') {
				const users = await listUsers(db);
				if (users.length === 0) console.log('no users');
				for (const u of users)
					console.log(
						[
							u.name.padEnd(24),
							u.role.padEnd(16),
							u.regions.join(',').padEnd(24),
							u.disabledAt ? 'disabled' : u.lockedUntil && u.lockedUntil > new Date() ? 'locked' : u.mustChangePassword ? 'must change password' : 'active'
						].join('  ')
					);
			} else if (sub === 'disable' || sub === 'enable') {
				const user = await setDisabled(db, name!, sub === 'disable');
				await auditUserChange(db, 'user_change', { action: sub, user: user.name }, user.regions);
				console.log(`user '${user.name}' ${sub}d${sub === 'disable' ? '; its sessions ended' : ''}`);
			} else if (sub === 'reset') {
				const { user, password } = await resetPassword(db, name!);
				await auditUserChange(db, 'user_change', { action: 'reset', user: user.name }, user.regions);
				console.error(`user '${user.name}': sessions ended; the one-time password follows, shown this once (to be changed at the next sign-in)`);
				console.log(password);
			} else {
				let user = role ? await setRole(db, name!, role) : undefined;
				if (role) await auditUserChange(db, 'role_change', { user: name!, role }, user!.regions);
				if (regions) {
					user = await setRegions(db, name!, regions);
					await auditUserChange(db, 'region_change', { user: name!, regions }, regions);
				}
				console.log(`user '${user!.name}': ${user!.role}, regions ${user!.regions.join(',')}; its sessions ended`);
			}
			return 0;
		} catch (e) {
			if (e instanceof UserError) {
				console.error(`tianshu user: ${e.message}`);
				return 1;
			}
			if (e instanceof UsageError) throw e;
			console.error(`tianshu user: the app database at ${redactUrl(url)} failed: ${(e as Error).message}`);
			return 1;
		} finally {
			await db?.close();
		}
	}
};
