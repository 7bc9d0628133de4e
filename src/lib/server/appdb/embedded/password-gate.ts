/**
 * The door of the embedded app database. pglite-socket trusts whoever connects,
 * so it listens on a Unix socket in an owner-only directory, and this server
 * on 127.0.0.1 speaks the first messages of the PostgreSQL protocol itself:
 * it asks for the password, checks it in constant time, and only then passes the
 * client's startup message on and joins the two sockets. PGlite's own reply to
 * the startup (AuthenticationOk, parameters, ReadyForQuery) completes the handshake.
 */
import net from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** A startup packet is small; anything bigger is not a PostgreSQL client. */
const MAX_STARTUP_BYTES = 10_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface GateOptions {
	password: string;
	/** Where the trusting PGlite socket server listens. */
	backendPath: string;
	maxConnections: number;
	onRefused?: (why: string, remote: string) => void;
}

/** An ErrorResponse with SQLSTATE `code`; clients show `message`. */
function errorResponse(code: string, message: string): Buffer {
	const fields = Buffer.concat([Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`, 'utf8'), Buffer.from([0])]);
	const head = Buffer.alloc(5);
	head.write('E', 0);
	head.writeInt32BE(fields.length + 4, 1);
	return Buffer.concat([head, fields]);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function createPasswordGate(options: GateOptions): net.Server {
	const expected = digest(options.password);
	const server = net.createServer((socket) => {
		const remote = `${socket.remoteAddress}:${socket.remotePort}`;
		let buffered = Buffer.alloc(0);
		let startup: Buffer | undefined;
		let done = false;
		const refuse = (code: string, message: string, why: string) => {
			done = true;
			options.onRefused?.(why, remote);
			socket.end(errorResponse(code, message));
		};
		const timer = setTimeout(() => refuse('08P01', 'handshake timed out', 'timeout'), HANDSHAKE_TIMEOUT_MS);
		socket.on('error', () => socket.destroy());
		socket.on('close', () => clearTimeout(timer));
		const onData = (chunk: Buffer) => {
			if (done) return;
			buffered = Buffer.concat([buffered, chunk]);
			for (;;) {
				if (!startup) {
					if (buffered.length < 8) return;
					const length = buffered.readInt32BE(0);
					if (length < 8 || length > MAX_STARTUP_BYTES) return refuse('08P01', 'invalid startup packet', 'bad startup length');
					if (buffered.length < length) return;
					const code = buffered.readInt32BE(4);
					const packet = buffered.subarray(0, length);
					buffered = buffered.subarray(length);
					if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
						// No TLS on loopback: the client goes on in the clear.
						socket.write('N');
						continue;
					}
					if (code === CANCEL_REQUEST) {
						done = true;
						socket.end();
						return;
					}
					if (code !== PROTOCOL_3) return refuse('08P01', 'unsupported frontend protocol', 'protocol');
					startup = Buffer.from(packet);
					// AuthenticationCleartextPassword: the password never leaves the host.
					socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
					continue;
				}
				if (buffered.length < 5) return;
				const type = buffered[0];
				const length = buffered.readInt32BE(1);
				if (type !== 0x70 || length < 5 || length > MAX_STARTUP_BYTES) return refuse('28P01', 'password authentication failed', 'no password message');
				if (buffered.length < length + 1) return;
				const given = buffered.subarray(5, length).toString('utf8').replace(/\0$/, '');
				const rest = buffered.subarray(length + 1);
				if (!timingSafeEqual(digest(given), expected)) return refuse('28P01', 'password authentication failed', 'wrong password');
				done = true;
				clearTimeout(timer);
				socket.off('data', onData);
				socket.pause();
				const backend = net.connect(options.backendPath);
				backend.on('error', () => socket.destroy());
				socket.on('close', () => backend.destroy());
				backend.on('close', () => socket.destroy());
				backend.once('connect', () => {
					backend.write(startup!);
					if (rest.length) backend.write(rest);
					socket.pipe(backend);
					backend.pipe(socket);
					socket.resume();
				});
				return;
			}
		};
		socket.on('data', onData);
	});
	server.maxConnections = options.maxConnections;
	return server;
}
