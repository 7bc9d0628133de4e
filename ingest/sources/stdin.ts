/** A stream source (standard input): read to its end. A crash cannot be resumed (the pipe is gone): the sender replays. */
import type { SourceState } from '../worker/batch-writer.ts';
import type { SourceHost } from './host.ts';
import { LineSplitter } from './lines.ts';

export async function readStream(host: SourceHost, stream: NodeJS.ReadableStream, id: string): Promise<void> {
	const state: SourceState = { id, position: 0, committed: 0 };
	host.writer.register(state);
	const splitter = new LineSplitter(host.maxLineBytes);
	for await (const chunk of stream) {
		for (const line of splitter.push(chunk as Buffer)) host.handleLine(state, line, undefined);
		if (host.writer.full) await host.writer.makeRoom();
	}
	const last = splitter.finish();
	if (last) host.handleLine(state, last, undefined);
	// Trailing blank lines are read too.
	state.position = splitter.offset;
	await host.writer.flush();
	host.writer.unregister(state);
}
