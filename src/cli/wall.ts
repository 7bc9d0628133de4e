import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions } from './args.ts';
import { AppDbConfigError, appDbConfig, redactUrl } from '../lib/server/appdb/config.ts';
import { createAppDb, type AppDb } from '../lib/server/appdb/client.ts';
import { issueWallToken, listWallTokens, revokeWallToken, WallTokenError } from '../lib/server/auth/wall-tokens.ts';
import { parseRegions, UserError } from '../lib/server/auth/users.ts';
import { auditUserChange } from '../lib/server/auth/audit.ts';

export const wallCommand: Command = {
	name: 'wall',
	summary: 'wall-screen tokens',
	usage: `Usage: tianshu wall issue --name NAME --region ADCODE
       tianshu wall list [--all]
       tianshu wall revoke NAME

A command centre's wall screen signs in with a token instead of a password. A
token is bound to one region (0 = the nation) and opens that region's cockpit
only (/cockpit and its live stream; read-only, no detail, no export).

  issue …         print a new token once on standard output (the database keeps
                  only its sha256); open http://HOST:PORT/wall/<token> on the wall
                  (or /cockpit?wall=<token>): it sets a cookie and leaves the address bar
  list [--all]    active tokens with their region and last use (--all: revoked too)
  revoke NAME     the token stops working within 5 seconds

Uses the app database (DATABASE_URL, or the embedded one: see tianshu appdb).`,
	async run(args) {
		const [sub, ...rest] = args;
		if (sub !== 'issue' && sub !== 'list' && sub !== 'revoke') throw new UsageError(`say issue, list or revoke${sub ? `, not '${sub.slice(0, 40)}'` : ''}`);
		const name = sub === 'revoke' ? rest[0] : undefined;
		if (sub === 'revoke' && (!name || name.startsWith('-'))) throw new UsageError('tianshu wall revoke needs a NAME');
		const o = parseOptions(sub === 'revoke' ? rest.slice(1) : rest, {
			name: { type: 'string' },
			region: { type: 'string' },
			all: { type: 'boolean', default: false }
		});
		let url: string;
		try {
			url = appDbConfig().url;
		} catch (e) {
			if (!(e instanceof AppDbConfigError)) throw e;
			console.error(`tianshu wall: ${e.message}`);
			return 2;
		}
		let db: AppDb | undefined;
		try {
			if (sub === 'issue') {
				if (!o.name || !o.region) throw new UsageError('issue needs --name and --region');
				const regions = parseRegions(o.region);
				if (regions.length !== 1) throw new UsageError('a wall token is bound to exactly one region');
				db = createAppDb(url, { max: 1 });
				const { token, wall } = await issueWallToken(db, { name: o.name, adcode: regions[0]!, createdBy: 'cli' });
				await auditUserChange(db, 'wall_token_change', { action: 'issue', wall: wall.name, id: wall.id }, [wall.adcode]);
				console.error(`wall token '${wall.name}' issued for region ${wall.adcode}; it follows, shown this once: open /wall/<token> on the wall screen`);
				console.log(token);
			} else if (sub === 'revoke') {
				db = createAppDb(url, { max: 1 });
				const wall = await revokeWallToken(db, name!);
				await auditUserChange(db, 'wall_token_change', { action: 'revoke', wall: wall.name, id: wall.id }, [wall.adcode]);
				console.log(`wall token '${wall.name}' revoked; it stops working within 5 seconds`);
			} else {
				db = createAppDb(url, { max: 1 });
				const walls = await listWallTokens(db, { includeRevoked: o.all });
				if (walls.length === 0) console.log('no wall tokens (issue one with tianshu wall issue --name NAME --region ADCODE)');
				for (const w of walls)
					console.log(
						[
							w.name.padEnd(24),
							String(w.adcode).padEnd(8),
							`issued ${w.createdAt.toISOString()}`,
							w.lastUsedAt ? `last used ${w.lastUsedAt.toISOString()} from ${w.lastUsedFrom ?? '?'}` : 'never used',
							w.revokedAt ? `revoked ${w.revokedAt.toISOString()}` : 'active'
						].join('  ')
					);
			}
			return 0;
		} catch (e) {
			if (e instanceof WallTokenError || e instanceof UserError) {
				console.error(`tianshu wall: ${e.message}`);
				return 1;
			}
			if (e instanceof UsageError) throw e;
			console.error(`tianshu wall: the app database at ${redactUrl(url)} failed: ${(e as Error).message}`);
			return 1;
		} finally {
			await db?.close();
		}
	}
};
