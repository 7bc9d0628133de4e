import { describe, expect, it } from 'vitest';
import { ConfigError, warehouseConfig } from './config.ts';

describe('warehouseConfig', () => {
	it('means the embedded warehouse when no URL is set', () => {
		expect(warehouseConfig({})).toEqual({ url: 'http://127.0.0.1:8123', username: 'default', password: '', database: 'tianshu', embedded: true });
		expect(warehouseConfig({ TIANSHU_WAREHOUSE_PORT: '9000' }).url).toBe('http://127.0.0.1:9000');
	});

	it('takes a server or cluster from CLICKHOUSE_*', () => {
		expect(
			warehouseConfig({ CLICKHOUSE_URL: 'https://ch.example:8443', CLICKHOUSE_USER: 'ts', CLICKHOUSE_PASSWORD: 'p', CLICKHOUSE_DATABASE: 'gov' })
		).toEqual({ url: 'https://ch.example:8443', username: 'ts', password: 'p', database: 'gov', embedded: false });
	});

	it('treats empty variables as unset', () => {
		expect(warehouseConfig({ CLICKHOUSE_URL: '', CLICKHOUSE_DATABASE: '' }).embedded).toBe(true);
	});

	it.each([
		[{ CLICKHOUSE_URL: 'ftp://x' }, /CLICKHOUSE_URL: must be an http:\/\/ or https:\/\/ URL/],
		[{ CLICKHOUSE_URL: 'not a url' }, /CLICKHOUSE_URL/],
		[{ CLICKHOUSE_DATABASE: 'drop table; x' }, /CLICKHOUSE_DATABASE: must be a plain identifier/],
		[{ TIANSHU_WAREHOUSE_PORT: '70000' }, /TIANSHU_WAREHOUSE_PORT: must be 1–65535/],
		[{ TIANSHU_WAREHOUSE_PORT: 'abc' }, /TIANSHU_WAREHOUSE_PORT/]
	])('names the variable when %o is bad', (env, message) => {
		expect(() => warehouseConfig(env)).toThrow(ConfigError);
		expect(() => warehouseConfig(env)).toThrow(message);
	});
});
