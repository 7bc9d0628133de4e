/**
 * The numbered, append-only migration files in schema/migrations.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface MigrationFile {
	version: number;
	/** File name, e.g. 0001_create_reference_tables.sql */
	name: string;
	sql: string;
	/** sha256 of the file's bytes */
	checksum: string;
}

export const MIGRATION_NAME = /^(\d{4})_([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\.sql$/;

export class MigrationError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MigrationError';
	}
}

export function checksumOf(text: string | Buffer): string {
	return createHash('sha256').update(text).digest('hex');
}

/** Reads and checks the migration directory: names NNNN_verb_object.sql, numbered 1, 2, 3 … without gaps. */
export function readMigrations(dir: string): MigrationFile[] {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort();
	const problems: string[] = [];
	const migrations: MigrationFile[] = [];
	for (const name of files) {
		const m = MIGRATION_NAME.exec(name);
		if (!m) {
			problems.push(`${name}: name must be NNNN_verb_object.sql (e.g. 0002_create_case_events.sql)`);
			continue;
		}
		const bytes = readFileSync(path.join(dir, name));
		migrations.push({ version: Number(m[1]), name, sql: bytes.toString('utf8'), checksum: checksumOf(bytes) });
	}
	migrations.forEach((mig, i) => {
		if (mig.version !== i + 1)
			problems.push(`${mig.name}: expected version ${String(i + 1).padStart(4, '0')} (versions run 0001, 0002, … without gaps or repeats)`);
	});
	if (problems.length) throw new MigrationError(`bad migration files in ${dir}:\n  ${problems.join('\n  ')}`);
	return migrations;
}
