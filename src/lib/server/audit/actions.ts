/**
 * What the audit log records: a closed list. A new kind of action is added here
 * (with its Chinese label for /admin/audit), never passed as a free string.
 */
import { z } from 'zod';

export const AUDIT_ACTIONS = [
	'sign_in',
	'sign_in_failed',
	'sign_out',
	'lockout',
	'password_change',
	'session_revoke',
	'export',
	'detail_view',
	'methodology_change',
	'scenario_change',
	'review_action',
	'user_change',
	'role_change',
	'region_change',
	'wall_token_change',
	'source_change'
] as const;

export const AuditAction = z.enum(AUDIT_ACTIONS, { error: '未知的审计动作' });
export type AuditAction = z.infer<typeof AuditAction>;

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
	sign_in: '登录',
	sign_in_failed: '登录失败',
	sign_out: '退出登录',
	lockout: '账号锁定',
	password_change: '修改密码',
	session_revoke: '会话撤销',
	export: '数据导出',
	detail_view: '查看明细',
	methodology_change: '评估方法变更',
	scenario_change: '情景变更',
	review_action: '差评处理',
	user_change: '用户变更',
	role_change: '角色变更',
	region_change: '区域变更',
	wall_token_change: '大屏令牌变更',
	source_change: '数据源变更'
};
