import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The checkout's root, whatever the working directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const migrationsDir = path.join(projectRoot, 'schema', 'migrations');
export const schemaFile = path.join(projectRoot, 'schema', 'schema.sql');
export const referenceDir = path.join(projectRoot, 'ingest', 'reference');
export const buildDir = path.join(projectRoot, 'build');
