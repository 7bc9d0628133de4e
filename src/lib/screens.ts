/** The screens of Tianshu, as the home page and the placeholders name them (the access matrix decides who sees which). */
export interface Screen {
	path: string;
	title: string;
	english: string;
	audience: string;
	summary: string;
	built: boolean;
}

export const screens: Screen[] = [
	{
		path: '/cockpit',
		title: '领导驾驶舱',
		english: 'Cockpit',
		audience: '领导 · 指挥大厅大屏',
		summary: '经济运行对标年度目标，政务服务办件量与按时办结率，好差评满意度，地区地图、预警与排名，实时更新。',
		built: true
	},
	{
		path: '/analyze',
		title: '指标分析',
		english: 'Analyze',
		audience: '分析人员',
		summary: '省、市、县逐级下钻，按时间、部门、事项、渠道分析，同比环比、异常识别与导出。',
		built: true
	},
	{
		path: '/reviews',
		title: '好差评',
		english: 'Reviews',
		audience: '政务服务管理人员',
		summary: '好评率、主动评价率，差评核实、整改、回访的进度与超期情况。',
		built: true
	},
	{
		path: '/evaluate',
		title: '评估与排名模拟',
		english: 'Evaluate',
		audience: '评估人员',
		summary: '一体化政务服务能力指数、联合国电子政务发展指数（EGDI）、好差评满意度指数的计算、排名与模拟。',
		built: true
	},
	{
		path: '/admin',
		title: '系统管理',
		english: 'Admin',
		audience: '系统管理员',
		summary: '用户、角色与地区授权，大屏令牌，数据接入状况，审计日志的查询与导出。',
		built: true
	}
];
