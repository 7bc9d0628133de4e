/**
 * Service items the simulator uses: real item names of provincial catalogues,
 * with their departments, promised working days (0 = instant, 即办件), whether
 * they can be done fully online, and how many trips a counter case needs.
 * Codes are Tianshu's own (the national catalogue codes differ by province).
 */
export interface ServiceItem {
	item_code: string;
	item_name: string;
	department: string;
	promised_days: number;
	fully_online: boolean;
	/** Relative demand. */
	weight: number;
}

export const CATALOGUE: readonly ServiceItem[] = [
	{ item_code: 'SCJG-001', item_name: '企业开办', department: '市场监督管理局', promised_days: 1, fully_online: true, weight: 6 },
	{ item_code: 'SCJG-002', item_name: '个体工商户登记', department: '市场监督管理局', promised_days: 1, fully_online: true, weight: 5 },
	{ item_code: 'SCJG-003', item_name: '食品经营许可', department: '市场监督管理局', promised_days: 10, fully_online: true, weight: 2 },
	{ item_code: 'SCJG-004', item_name: '企业注销登记', department: '市场监督管理局', promised_days: 3, fully_online: true, weight: 1.5 },
	{ item_code: 'RSSB-001', item_name: '社保卡申领', department: '人力资源和社会保障局', promised_days: 0, fully_online: true, weight: 8 },
	{ item_code: 'RSSB-002', item_name: '养老保险待遇核定', department: '人力资源和社会保障局', promised_days: 15, fully_online: false, weight: 2 },
	{ item_code: 'RSSB-003', item_name: '失业保险金申领', department: '人力资源和社会保障局', promised_days: 5, fully_online: true, weight: 2.5 },
	{ item_code: 'RSSB-004', item_name: '就业登记', department: '人力资源和社会保障局', promised_days: 0, fully_online: true, weight: 3 },
	{ item_code: 'BDC-001', item_name: '不动产登记', department: '自然资源局', promised_days: 5, fully_online: false, weight: 6 },
	{ item_code: 'BDC-002', item_name: '不动产抵押登记', department: '自然资源局', promised_days: 3, fully_online: true, weight: 3 },
	{ item_code: 'BDC-003', item_name: '不动产权属证明查询', department: '自然资源局', promised_days: 0, fully_online: true, weight: 4 },
	{ item_code: 'GA-001', item_name: '户籍迁移', department: '公安局', promised_days: 5, fully_online: false, weight: 3 },
	{ item_code: 'GA-002', item_name: '居民身份证换领', department: '公安局', promised_days: 20, fully_online: false, weight: 4 },
	{ item_code: 'GA-003', item_name: '居住证申领', department: '公安局', promised_days: 7, fully_online: true, weight: 3 },
	{ item_code: 'GA-004', item_name: '机动车驾驶证换证', department: '公安局', promised_days: 1, fully_online: true, weight: 3.5 },
	{ item_code: 'GJJ-001', item_name: '公积金提取', department: '住房公积金管理中心', promised_days: 1, fully_online: true, weight: 7 },
	{ item_code: 'GJJ-002', item_name: '公积金贷款申请', department: '住房公积金管理中心', promised_days: 10, fully_online: false, weight: 1.5 },
	{ item_code: 'YB-001', item_name: '医保报销', department: '医疗保障局', promised_days: 10, fully_online: true, weight: 5 },
	{ item_code: 'YB-002', item_name: '医保关系转移接续', department: '医疗保障局', promised_days: 15, fully_online: true, weight: 2 },
	{ item_code: 'YB-003', item_name: '异地就医备案', department: '医疗保障局', promised_days: 0, fully_online: true, weight: 4 },
	{ item_code: 'SW-001', item_name: '发票申领', department: '税务局', promised_days: 0, fully_online: true, weight: 5 },
	{ item_code: 'SW-002', item_name: '个人所得税汇算清缴', department: '税务局', promised_days: 0, fully_online: true, weight: 3 },
	{ item_code: 'SW-003', item_name: '完税证明开具', department: '税务局', promised_days: 0, fully_online: true, weight: 2 },
	{ item_code: 'MZ-001', item_name: '婚姻登记', department: '民政局', promised_days: 0, fully_online: false, weight: 2 },
	{ item_code: 'MZ-002', item_name: '最低生活保障申请', department: '民政局', promised_days: 20, fully_online: false, weight: 1 },
	{ item_code: 'WJ-001', item_name: '出生医学证明办理', department: '卫生健康委员会', promised_days: 0, fully_online: false, weight: 1.5 },
	{ item_code: 'WJ-002', item_name: '医师执业注册', department: '卫生健康委员会', promised_days: 20, fully_online: true, weight: 0.5 },
	{ item_code: 'JY-001', item_name: '义务教育入学登记', department: '教育局', promised_days: 10, fully_online: true, weight: 2 },
	{ item_code: 'JT-001', item_name: '道路运输经营许可', department: '交通运输局', promised_days: 20, fully_online: true, weight: 0.8 },
	{ item_code: 'ZJ-001', item_name: '建设工程施工许可', department: '住房和城乡建设局', promised_days: 7, fully_online: true, weight: 1 },
	{ item_code: 'ZJ-002', item_name: '商品房预售许可', department: '住房和城乡建设局', promised_days: 10, fully_online: false, weight: 0.5 },
	{ item_code: 'HB-001', item_name: '建设项目环境影响评价审批', department: '生态环境局', promised_days: 30, fully_online: true, weight: 0.5 },
	{ item_code: 'SL-001', item_name: '取水许可', department: '水利局', promised_days: 20, fully_online: true, weight: 0.3 },
	{ item_code: 'TY-001', item_name: '退役军人优待证申领', department: '退役军人事务局', promised_days: 15, fully_online: false, weight: 0.7 },
	{ item_code: 'CL-001', item_name: '残疾人证办理', department: '残疾人联合会', promised_days: 20, fully_online: false, weight: 0.6 }
];

/** Reasons citizens give for a 差评, as tags. */
export const NEGATIVE_REASONS = ['办理时间长', '材料要求多', '多次跑动', '态度不好', '系统故障', '指引不清', '排队时间长', '结果不满意'] as const;
export const POSITIVE_TAGS = ['办事快', '态度好', '一次办成', '指引清楚', '网上办方便'] as const;

/** 12345 topics. */
export const HOTLINE_TOPICS = [
	'社会保障',
	'城乡建设',
	'交通出行',
	'环境保护',
	'市场监管',
	'教育',
	'医疗卫生',
	'劳动就业',
	'住房',
	'公共安全',
	'营商环境',
	'物业管理'
] as const;
