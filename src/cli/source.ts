import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseOptions } from './args.ts';
import { AppDbConfigError, appDbConfig, redactUrl } from '../lib/server/appdb/config.ts';
import { createAppDb } from '../lib/server/appdb/client.ts';
import { STATISTICS_TYPES, SourceError, TYPE_GROUPS, addSource, listSources, parseEventTypes, revokeSource } from '../lib/server/appdb/sources.ts';

const groups = Object.entries(TYPE_GROUPS)
	.map(([g, t]) => `${g} = ${t.join(',')}`)
	.join('; ');

export const sourceCommand: Command = {
	name: 'source',
	summary: 'ingest sources',
	usage: `Usage: tianshu source add NAME --types TYPE[,TYPE…]
       tianshu source list [--all]
       tianshu source revoke NAME

Ingest sources may push events to the HTTP endpoint of \`tianshu ingest --http\`
with \`Authorization: Bearer <token>\`, and only the event types they were granted.
Official statistics (${STATISTICS_TYPES.join(', ')}) are accepted only from a source
granted them. Files, drop-boxes, stdin and the simulator are local and need no token.

  add NAME --types …  issue a source; its token is printed once on standard output
                      (the database keeps only its sha256). Types: case, review,
                      review_action, ticket, indicator, target, warning, or groups:
                      ${groups}
  list [--all]        active sources and their types (--all: revoked ones too)
  revoke NAME         the source's token stops working within 5 seconds

Uses the app database (DATABASE_URL, or the embedded one: see tianshu appdb).`,
	async run(args) {
		const [sub, ...rest] = args;
		if (sub !== 'add' && sub !== 'list' && sub !== 'revoke') throw new UsageError(`say add, list or revoke${sub ? `, not '${sub.slice(0, 40)}'` : ''}`);
		const name = sub === 'list' ? undefined : rest[0];
		if (sub !== 'list' && (!name || name.startsWith('-'))) throw new UsageError(`tianshu source ${sub} needs a NAME`);
		const o = parseOptions(sub === 'list' ? rest : rest.slice(1), {
			types: { type: 'string' },
			all: { type: 'boolean', default: false }
		});
		let config;
		try {
			config = appDbConfig();
		} catch (e) {
			if (!(e instanceof AppDbConfigError)) throw e;
			console.error(`tianshu source: ${e.message}`);
			return 2;
		}
		const db = createAppDb(config.url, { max: 1 });
		try {
			if (sub === 'add') {
				if (!o.types) throw new UsageError('--types is required, e.g. --types service or --types case,review');
				const { source, token } = await addSource(db, name!, parseEventTypes(o.types));
				console.error(`source '${source.name}' added; it may push: ${source.eventTypes.join(', ')}`);
				console.error('its token follows, shown this once: keep it secret; send it as `Authorization: Bearer <token>`');
				console.log(token);
			} else if (sub === 'revoke') {
				const source = await revokeSource(db, name!);
				console.log(`source '${source.name}' revoked; its token stops working within 5 seconds`);
			} else {
				const sources = await listSources(db, { includeRevoked: o.all });
				if (sources.length === 0) console.log('no sources (add one with tianshu source add NAME --types …)');
				for (const s of sources)
					console.log(
						[
							s.name.padEnd(24),
							s.eventTypes.join(',').padEnd(40),
							s.createdAt.toISOString(),
							s.revokedAt ? `revoked ${s.revokedAt.toISOString()}` : 'active'
						].join('  ')
					);
			}
			return 0;
		} catch (e) {
			if (e instanceof SourceError) {
				console.error(`tianshu source: ${e.message}`);
				return 1;
			}
			if (e instanceof UsageError) throw e;
			console.error(`tianshu source: the app database at ${redactUrl(config.url)} failed: ${(e as Error).message}`);
			return 1;
		} finally {
			await db.close();
		}
	}
};
