/** The queue's keyset cursor as the client holds it: opaque text of the last row's sort key. */
export const encodeCursor = (k: ReadonlyArray<string | number>) => Buffer.from(JSON.stringify(k)).toString('base64url');

/** The sort key back, or null for anything that is not one. */
export function decodeCursor(text: string): Array<string | number> | null {
	try {
		const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
		return Array.isArray(v) && v.length <= 8 && v.every((x) => typeof x === 'string' || typeof x === 'number') ? (v as Array<string | number>) : null;
	} catch {
		return null;
	}
}
