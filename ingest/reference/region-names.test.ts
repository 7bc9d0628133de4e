import { describe, expect, it } from 'vitest';
import { cityShortName, shortName } from './region-names.ts';

describe('short region names', () => {
	it.each([
		['广东省', 'province', '广东'],
		['内蒙古自治区', 'province', '内蒙古'],
		['新疆维吾尔自治区', 'province', '新疆'],
		['北京市', 'province', '北京'],
		['澳门特别行政区', 'province', '澳门'],
		['深圳市', 'city', '深圳'],
		['大兴安岭地区', 'city', '大兴安岭'],
		['锡林郭勒盟', 'city', '锡林郭勒'],
		['恩施土家族苗族自治州', 'city', '恩施'],
		['黔东南苗族侗族自治州', 'city', '黔东南'],
		['海西蒙古族藏族自治州', 'city', '海西'],
		['克孜勒苏柯尔克孜自治州', 'city', '克孜勒苏柯尔克孜自治州'],
		['南山区', 'county', '南山区'],
		['长阳土家族自治县', 'county', '长阳'],
		['和县', 'county', '和县']
	] as const)('%s → %s', (name, level, expected) => {
		expect(shortName(name, level)).toBe(expected);
	});

	it('reads grouping entries by their province', () => {
		expect(cityShortName('市辖区', '北京')).toBe('北京');
		expect(cityShortName('县', '重庆')).toBe('重庆辖县');
		expect(cityShortName('省直辖县级行政区划', '河南')).toBe('河南直辖县');
		expect(cityShortName('延边朝鲜族自治州', '吉林')).toBe('延边');
	});
});
