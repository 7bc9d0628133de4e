// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			/** Names the request in the log, the `x-request-id` header and error replies (hooks.server.ts). */
			requestId: string;
			/** Who is calling (hooks.server.ts): a signed-in user, a wall token, or null. */
			principal: import('$lib/server/auth/principal').Principal | null;
			/** Whether that caller is still let in, asked again by open live streams (hooks.server.ts). */
			admitted?: import('$lib/server/live/admitted').Admitted;
		}
		interface Error {
			message: string;
			requestId?: string;
		}
	}
}
export {};
