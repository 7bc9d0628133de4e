/** The shape every `tianshu` subcommand has. */
export interface Command {
	name: string;
	summary: string;
	/** Full `--help` text. */
	usage: string;
	/** Returns the process exit code. */
	run(args: string[]): Promise<number>;
}

/** A usage error: the message is printed with the subcommand's help. */
export class UsageError extends Error {}
