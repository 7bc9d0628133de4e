/** The sign-in and session limits, from the configuration (README "Configuration"). */
import { settings, type Env, processEnv } from '../config.ts';

export interface AuthLimits {
	/** A session ends after this long without a request… */
	idleMs: number;
	/** …and this long after sign-in, whatever happens. */
	maxAgeMs: number;
	/** Failed sign-ins in a row that lock an account… */
	maxFailures: number;
	/** …for this long; also the window of the per-address count. */
	lockoutMs: number;
	/** Failed sign-ins from one address within lockoutMs before it must wait. */
	addressMaxFailures: number;
}

const MINUTE = 60_000;

export function authLimits(env: Env = processEnv()): AuthLimits {
	const s = settings(
		[
			'TIANSHU_SESSION_IDLE_MINUTES',
			'TIANSHU_SESSION_MAX_HOURS',
			'TIANSHU_LOGIN_MAX_FAILURES',
			'TIANSHU_LOGIN_LOCKOUT_MINUTES',
			'TIANSHU_LOGIN_ADDRESS_MAX_FAILURES'
		],
		env
	);
	return {
		idleMs: s.TIANSHU_SESSION_IDLE_MINUTES * MINUTE,
		maxAgeMs: s.TIANSHU_SESSION_MAX_HOURS * 60 * MINUTE,
		maxFailures: s.TIANSHU_LOGIN_MAX_FAILURES,
		lockoutMs: s.TIANSHU_LOGIN_LOCKOUT_MINUTES * MINUTE,
		addressMaxFailures: s.TIANSHU_LOGIN_ADDRESS_MAX_FAILURES
	};
}
