/**
 * Short region names as maps and tight labels use them (广西壮族自治区 → 广西,
 * 恩施土家族苗族自治州 → 恩施). Pure.
 */
const PROVINCE_SUFFIX = /(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$/;

// Peoples named in autonomous prefectures, counties and banners (longer names first).
const PEOPLES = [
	'柯尔克孜',
	'乌孜别克',
	'塔吉克',
	'哈萨克',
	'维吾尔',
	'达斡尔',
	'鄂温克',
	'鄂伦春',
	'俄罗斯',
	'塔塔尔',
	'土家',
	'布依',
	'哈尼',
	'傈僳',
	'景颇',
	'蒙古',
	'朝鲜',
	'纳西',
	'拉祜',
	'布朗',
	'独龙',
	'普米',
	'阿昌',
	'德昂',
	'基诺',
	'仡佬',
	'毛南',
	'仫佬',
	'锡伯',
	'裕固',
	'保安',
	'东乡',
	'撒拉',
	'赫哲',
	'门巴',
	'珞巴',
	'高山',
	'苗',
	'回',
	'藏',
	'彝',
	'壮',
	'侗',
	'瑶',
	'白',
	'傣',
	'羌',
	'黎',
	'佤',
	'怒',
	'水',
	'畲',
	'满',
	'土',
	'京'
];
const ETHNIC_AUTONOMY = new RegExp(`^(.+?)(?:(?:${PEOPLES.join('|')})族)+自治(?:州|县|旗)$`);
const CITY_SUFFIX = /(地区|市|盟)$/;

export function shortName(name: string, level: 'province' | 'city' | 'county'): string {
	if (level === 'province') return name.replace(PROVINCE_SUFFIX, '') || name;
	const ethnic = ETHNIC_AUTONOMY.exec(name);
	if (ethnic) return ethnic[1]!;
	if (level === 'city') {
		const s = name.replace(CITY_SUFFIX, '');
		return s.length >= 2 ? s : name;
	}
	return name;
}

/**
 * Prefecture-level entries of the statistics tables that are groupings rather
 * than cities read by their province: 北京's 市辖区 is 北京, 重庆's 县 is 重庆辖县,
 * 河南's 省直辖县级行政区划 is 河南省直辖县.
 */
export function cityShortName(name: string, provinceShort: string): string {
	if (name === '市辖区') return provinceShort;
	if (name === '县') return `${provinceShort}辖县`;
	if (/直辖县级行政区划$/.test(name)) return `${provinceShort}直辖县`;
	return shortName(name, 'city');
}
