/**
 * The indicator catalogue (指标体系) for government services: each indicator
 * defined once — code (glossary), names, unit, polarity, kind, the grains and
 * dimensions it can be asked at, and a one-line definition for the UI. Pure and
 * browser-safe: how each is computed from the rollups (the SQL) is server-only,
 * in server/planner/rollups.ts.
 */

export type Grain = 'minute' | 'hour' | 'day' | 'month' | 'total';
export type Dimension = 'department' | 'item' | 'channel' | 'ticketType' | 'topic';

export interface IndicatorDef {
	code: string;
	nameZh: string;
	nameEn: string;
	unit: string;
	polarity: 'positive' | 'negative';
	definition: string;
	kind: 'count' | 'rate' | 'duration';
	grains: Grain[];
	dimensions: Dimension[];
}

const CASE_DIMS: Dimension[] = ['department', 'item', 'channel'];
const ALL_GRAINS: Grain[] = ['minute', 'hour', 'day', 'month', 'total'];
const NO_MINUTE: Grain[] = ['hour', 'day', 'month', 'total'];
const DAY_UP: Grain[] = ['day', 'month', 'total'];

export const CATALOGUE: readonly IndicatorDef[] = [
	{
		code: 'caseVolume',
		nameZh: '办件量',
		nameEn: 'Cases submitted',
		unit: '件',
		polarity: 'positive',
		kind: 'count',
		definition: '期间内新申请的办件数（申请事件）',
		grains: ALL_GRAINS,
		dimensions: CASE_DIMS
	},
	{
		code: 'acceptedVolume',
		nameZh: '受理量',
		nameEn: 'Cases accepted',
		unit: '件',
		polarity: 'positive',
		kind: 'count',
		definition: '期间内受理的办件数',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'completedVolume',
		nameZh: '办结量',
		nameEn: 'Cases completed',
		unit: '件',
		polarity: 'positive',
		kind: 'count',
		definition: '期间内办结的办件数',
		grains: ALL_GRAINS,
		dimensions: CASE_DIMS
	},
	{
		code: 'onTimeRate',
		nameZh: '按时办结率',
		nameEn: 'Completed on time',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '在承诺时限（按法定工作日计）内办结的办件 ÷ 办结办件',
		grains: ALL_GRAINS,
		dimensions: CASE_DIMS
	},
	{
		code: 'earlyRate',
		nameZh: '提前办结率',
		nameEn: 'Completed before the deadline',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '在承诺时限到期日之前办结的办件 ÷ 办结办件',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'avgDuration',
		nameZh: '平均办理时长',
		nameEn: 'Mean processing time',
		unit: '小时',
		polarity: 'negative',
		kind: 'duration',
		definition: '办结办件从申请到办结的平均时长',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'p90Duration',
		nameZh: '办理时长P90',
		nameEn: 'Processing time, 90th percentile',
		unit: '小时',
		polarity: 'negative',
		kind: 'duration',
		definition: '九成办结办件的办理时长不超过此值（每个汇总单元保留 8192 个样本的水库抽样估计）',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'fullyOnlineRate',
		nameZh: '全程网办率',
		nameEn: 'Completed fully online',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '经网厅或移动端办理且无需到现场的办结办件 ÷ 办结办件',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'zeroTripRate',
		nameZh: '零跑动率',
		nameEn: 'Completed without a visit',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '无需到现场跑动的办结办件 ÷ 办结办件',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'crossProvinceVolume',
		nameZh: '跨省通办量',
		nameEn: 'Cross-province cases',
		unit: '件',
		polarity: 'positive',
		kind: 'count',
		definition: '期间内申请的跨省通办办件数',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'positiveRate',
		nameZh: '好评率',
		nameEn: 'Positive reviews',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '非常满意、满意、基本满意的评价 ÷ 全部评价',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'negativeCount',
		nameZh: '差评数',
		nameEn: 'Negative reviews',
		unit: '条',
		polarity: 'negative',
		kind: 'count',
		definition: '不满意、非常不满意的评价条数',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'reviewRate',
		nameZh: '主动评价率',
		nameEn: 'Cases reviewed',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '期间内的评价条数 ÷ 期间内办结的办件数',
		grains: NO_MINUTE,
		dimensions: CASE_DIMS
	},
	{
		code: 'rectifiedRate',
		nameZh: '差评整改率',
		nameEn: 'Negative reviews rectified',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '期间内收到的差评中，截至统计时点已完成整改的 ÷ 期间内收到的差评（同一批差评，不超过 100%）',
		grains: DAY_UP,
		dimensions: []
	},
	{
		code: 'overdueNegativeCount',
		nameZh: '差评超期数',
		nameEn: 'Negative reviews past their deadline',
		unit: '条',
		polarity: 'negative',
		kind: 'count',
		definition: '整改期限（本地区规定的工作日数）落在期间内、期限届满时仍未整改的差评条数',
		grains: DAY_UP,
		dimensions: []
	},
	{
		code: 'ticketVolume',
		nameZh: '12345工单量',
		nameEn: '12345 tickets',
		unit: '件',
		polarity: 'positive',
		kind: 'count',
		definition: '期间内新建的 12345 热线工单数',
		grains: NO_MINUTE,
		dimensions: ['ticketType', 'topic']
	},
	{
		code: 'answerRate',
		nameZh: '接通率',
		nameEn: 'Calls answered',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '接通的来电工单 ÷ 新建工单',
		grains: NO_MINUTE,
		dimensions: ['ticketType', 'topic']
	},
	{
		code: 'ticketOnTimeRate',
		nameZh: '12345按时办结率',
		nameEn: '12345 tickets closed on time',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '在承办时限内办结的工单 ÷ 有承办时限的办结工单',
		grains: NO_MINUTE,
		dimensions: ['ticketType', 'topic']
	},
	{
		code: 'satisfactionRate',
		nameZh: '满意率',
		nameEn: 'Satisfied callers',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '回访表示满意的办结工单 ÷ 有满意度回访结果的办结工单',
		grains: NO_MINUTE,
		dimensions: ['ticketType', 'topic']
	},
	{
		code: 'followUpRate',
		nameZh: '回访率',
		nameEn: 'Closed tickets followed up',
		unit: '%',
		polarity: 'positive',
		kind: 'rate',
		definition: '有满意度回访结果的办结工单 ÷ 办结工单',
		grains: NO_MINUTE,
		dimensions: ['ticketType', 'topic']
	}
];

export const INDICATOR_CODES = CATALOGUE.map((i) => i.code) as [string, ...string[]];

export function indicator(code: string): IndicatorDef | undefined {
	return CATALOGUE.find((i) => i.code === code);
}
