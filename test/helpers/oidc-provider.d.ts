/** The little of `oidc-provider` (8.x ships no types) the OIDC test uses: a real provider, configured and served. */
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';

	interface Account {
		accountId: string;
		claims(): Record<string, unknown> | Promise<Record<string, unknown>>;
	}

	interface Configuration {
		clients?: Array<Record<string, unknown>>;
		claims?: Record<string, string[]>;
		scopes?: string[];
		findAccount?: (ctx: unknown, id: string) => Account | undefined | Promise<Account | undefined>;
		cookies?: { keys?: string[] };
		pkce?: { required?: () => boolean };
	}

	export default class Provider {
		constructor(issuer: string, configuration?: Configuration);
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
	}
}
