/**
 * Masking of personal data in free text. Expectations are written by hand; the
 * valid ID and card numbers were checked outside this code (the GB 11643
 * standard's own example 11010519491231002X, Luhn test cards such as
 * 4111 1111 1111 1111, the others worked out with the published weights).
 * The properties build their numbers with this file's own check digits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/helpers/property-runs.ts';
import { isLuhnValid, isValidIdNumber, maskPersonalData, storedText } from './mask.ts';

describe('realistic comments and 12345 texts', () => {
	const cases: Array<[string, string]> = [
		// Mobile numbers: first 3 and last 4 kept.
		['办事员态度很好，有问题可以打我电话13912345678。', '办事员态度很好，有问题可以打我电话139****5678。'],
		['手机：138 1234 5678，下午都在', '手机：138 **** 5678，下午都在'],
		['联系方式+86 186-0001-2345（微信同号）', '联系方式+86 186-****-2345（微信同号）'],
		['请回电0086 15900001111', '请回电0086 159****1111'],
		['我的号码是８６１３７００００１１１１', '我的号码是８６１３７****１１１１'],
		['全角号码１８９２２２２３３３３！', '全角号码１８９****３３３３！'],
		['办完已经是2024-05-01 13812345678这个号收到短信', '办完已经是2024-05-01 138****5678这个号收到短信'],
		['手机138\u30001234\u30005678（全角空格）', '手机138\u3000****\u30005678（全角空格）'],
		['手机138—1234—5678', '手机138—****—5678'],
		['两个号码13812345678 13912345678都打不通', '两个号码138****5678 139****5678都打不通'],
		// A text that is nothing but the number (a phone field filled into a comment box).
		['13912345678', '139****5678'],
		// Landlines: area code and last 4 kept; with an extension, the extension stays.
		['座机0755-88886666转123，没人接', '座机0755-****6666转123，没人接'],
		['打（0755）8888 6666也行', '打（0755）**** 6666也行'],
		['北京的010-62345678一直占线', '北京的010-****5678一直占线'],
		['广州02087654321', '广州020****4321'],
		['石家庄0311-87654321', '石家庄0311-****4321'],
		['打（0755） 8888 6666', '打（0755） **** 6666'],
		['区号后七位0769-2345678', '区号后七位0769-***5678'],
		// Without an area code only after a telephone word.
		['办公室电话：8888 6666，工作日', '办公室电话：**** 6666，工作日'],
		['请致电2345678咨询', '请致电***5678咨询'],
		['Tel: 87654321', 'Tel: ****4321'],
		['交了8888 6666元押金', '交了8888 6666元押金'],
		['电话今天没人接了 87654321', '电话今天没人接了 87654321'],
		['电话12345678', '电话12345678'],
		['电话234567890', '电话234567890'],
		['电话8888 6666 1234', '电话8888 6666 1234'],
		['电话1 8888 6666', '电话1 8888 6666'],
		['受理编号23456789', '受理编号23456789'],
		// ID numbers: region (6) and last 4 kept, the birth date masked; only with a right check character.
		['身份证号11010519491231002X，材料齐全', '身份证号110105********002X，材料齐全'],
		['证件号码 11010519491231002x 已核验', '证件号码 110105********002x 已核验'],
		['身份证440305199003071236，被退回三次', '身份证440305********1236，被退回三次'],
		['身份证号码１１０１０５１９４９１２３１００２Ｘ', '身份证号码１１０１０５********００２Ｘ'],
		['身份证440305199003071234写错了', '身份证440305199003071234写错了'],
		['身份证11010519491231002Y', '身份证11010519491231002Y'],
		['号码11010519491231003X不对', '号码11010519491231003X不对'],
		// Bank cards: first and last 4 kept, separators kept; only Luhn-valid.
		['退款请打到卡号6222021234567890128', '退款请打到卡号6222***********0128'],
		['卡号 6217 0012 3456 7893，户名见附件', '卡号 6217 **** **** 7893，户名见附件'],
		['卡号4111-1111-1111-1111', '卡号4111-****-****-1111'],
		['工行卡62284804025648900', '工行卡6228*********8900'],
		['卡号6222 0212 3456 7890 125 好像错了', '卡号6222 0212 3456 7890 125 好像错了'],
		['卡号4111111111111112', '卡号4111111111111112'],
		// E-mail addresses: first letter and domain kept.
		['材料发到zhang.san@example.com。', '材料发到z***@example.com。'],
		['邮箱：13812345678@139.com', '邮箱：1***@139.com'],
		['全角ｚｈａｎｇ＠ｑｑ．ｃｏｍ', '全角ｚ***＠ｑｑ．ｃｏｍ'],
		['a@b.cn 和 li_si+gov@mail.gd.gov.cn', 'a***@b.cn 和 l***@mail.gd.gov.cn'],
		['格式x@y.z不是邮箱', '格式x@y.z不是邮箱'],
		// Numbers inside longer runs of digits, and numbers that are no personal data, stay.
		['订单号2024050113812345678已提交', '订单号2024050113812345678已提交'],
		['流水号138123456789', '流水号138123456789'],
		['金额12345678901.50元', '金额12345678901.50元'],
		['第3窗口，等了120分钟，编号A13', '第3窗口，等了120分钟，编号A13'],
		['拨打12345热线', '拨打12345热线'],
		['12800000000 不是手机号', '12800000000 不是手机号'],
		// Several in one text.
		['张先生13800001111，备用139-0000-2222，身份证11010519491231002X', '张先生138****1111，备用139-****-2222，身份证110105********002X']
	];
	it.each(cases)('%s', (input, expected) => {
		expect(maskPersonalData(input)).toBe(expected);
	});

	it('leaves texts without digits or @ as they are, and masks nothing twice', () => {
		for (const text of ['', '服务很好，点赞！', '太慢了。。。']) expect(maskPersonalData(text)).toBe(text);
		for (const [, masked] of cases) expect(maskPersonalData(masked)).toBe(masked);
	});

	it('keeps raw text only when the deployment says so', () => {
		expect(storedText('电话13912345678')).toBe('电话139****5678');
		expect(storedText('电话13912345678', false)).toBe('电话139****5678');
		expect(storedText('电话13912345678', true)).toBe('电话13912345678');
	});
});

describe('check characters', () => {
	it('GB 11643: the standard example and numbers worked out by hand; every wrong check character fails', () => {
		for (const id of ['11010519491231002X', '11010519491231002x', '440305199003071236', '330106198512120046', '510107197801015555', '440304200002290815'])
			expect(isValidIdNumber(id)).toBe(true);
		for (const c of '0123456789') expect(isValidIdNumber(`11010519491231002${c}`)).toBe(false);
		for (const id of ['1101051949123100', '11010519491231002XX', '1101051949123100X2', 'A1010519491231002X', '110105194912310029X', '4403051990030712365'])
			expect(isValidIdNumber(id)).toBe(false);
	});

	it('Luhn: published test cards pass; one digit off fails', () => {
		for (const card of ['4111111111111111', '5555555555554444', '6011111111111117', '6222021234567890128', '6217001234567893', '0', '18', '59', '91'])
			expect(isLuhnValid(card)).toBe(true);
		for (const card of ['4111111111111112', '5555555555554440', '6222021234567890125', '1', '19', '51', '92']) expect(isLuhnValid(card)).toBe(false);
	});
});

// Numbers for the properties, with check digits computed here.
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11);
const idCheck = (d17: string) => '10X98765432'[[...d17].reduce((s, c, i) => s + Number(c) * WEIGHTS[i]!, 0) % 11]!;
const luhnSum = (digits: string) =>
	[...digits].reverse().reduce((s, c, i) => {
		const d = Number(c) * (i % 2 === 1 ? 2 : 1);
		return s + (d > 9 ? d - 9 : d);
	}, 0);
const luhnOk = (digits: string) => luhnSum(digits) % 10 === 0;
const luhnDigit = (body: string) => String((10 - (luhnSum(`${body}0`) % 10)) % 10);
const idOk = (id: string) => /^\d{17}[\dX]$/.test(id) && idCheck(id.slice(0, 17)) === id[17];

const digits = (min: number, max = min) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const fullWidth = (s: string) => s.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
/** Chinese text with punctuation and no digit, letter or telephone word. */
const chinese = fc.string({
	unit: fc.constantFrom(...'您好办事很快服务态度窗口人员耐心不错希望改进流程太慢了排队两个小时材料要求说明清楚请回复谢谢，。！？：；、（）“”《》 '),
	maxLength: 30
});
const grouped = (s: string, sizes: number[], sep: string) => {
	const parts: string[] = [];
	let at = 0;
	for (const n of sizes) parts.push(s.slice(at, (at += n)));
	if (at < s.length) parts.push(s.slice(at));
	return parts.filter(Boolean).join(sep);
};
const separator = fc.constantFrom('', ' ', '-');
const width = fc.boolean();

const validMobile = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([b, rest]) => `1${b}${rest}`);
const validId = fc.tuple(fc.constantFrom(...'123456789'), digits(16)).map(([a, rest]) => `${a}${rest}${idCheck(a + rest)}`);
const validCard = fc
	.tuple(
		fc.constantFrom(...'3456'),
		fc.integer({ min: 14, max: 17 }).chain((n) => digits(n))
	)
	.map(([a, rest]) => `${a}${rest}${luhnDigit(a + rest)}`);

const embed = (n: fc.Arbitrary<string>) =>
	fc.tuple(chinese, n, chinese).map(([before, number, after]) => ({ before, number, after, text: before + number + after }));

describe('properties', () => {
	const survivesNowhere = ({ before, number, after, text }: { before: string; number: string; after: string; text: string }) => {
		const masked = maskPersonalData(text);
		expect(masked.length).toBe(text.length);
		expect(masked.startsWith(before) && masked.endsWith(after)).toBe(true);
		const plain = number.replace(/[０-９Ｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[ -]/g, '');
		const left = masked.replace(/[０-９Ｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[ -]/g, '');
		expect(left).not.toContain(plain);
		expect(left).toMatch(/\*{4}/);
	};

	it('a valid mobile number in Chinese text never survives, however written', () => {
		const written = fc.tuple(validMobile, separator, width, fc.constantFrom('', '+86', '0086')).map(([m, sep, fw, cc]) => {
			const s = cc + (cc ? ' ' : '') + grouped(m, [3, 4, 4], sep);
			return fw ? fullWidth(s) : s;
		});
		fc.assert(fc.property(embed(written), survivesNowhere), { numRuns: runs(300) });
	});

	it('a valid ID number in Chinese text never survives', () => {
		const written = fc.tuple(validId, width, fc.boolean()).map(([id, fw, lower]) => {
			const s = lower ? id.toLowerCase() : id;
			return fw ? fullWidth(s) : s;
		});
		fc.assert(fc.property(embed(written), survivesNowhere), { numRuns: runs(300) });
	});

	it('a valid bank card number in Chinese text never survives, plain or in groups of four', () => {
		const written = fc.tuple(validCard, separator, width).map(([c, sep, fw]) => {
			const s = grouped(c, [4, 4, 4, 4], sep);
			return fw ? fullWidth(s) : s;
		});
		fc.assert(fc.property(embed(written), survivesNowhere), { numRuns: runs(300) });
	});

	it('an ID number with a wrong check character survives', () => {
		const invalid = fc
			.tuple(validId, fc.constantFrom(...'0123456789X'), width)
			.filter(([id, c]) => c !== id[17] && !luhnOk(id.slice(0, 17) + c))
			.map(([id, c, fw]) => (fw ? fullWidth(id.slice(0, 17) + c) : id.slice(0, 17) + c));
		fc.assert(
			fc.property(embed(invalid), ({ text }) => maskPersonalData(text) === text),
			{ numRuns: runs(300) }
		);
	});

	it('a card number that fails Luhn survives, plain (16–19 digits) or in groups of four (16)', () => {
		const plain = fc
			.tuple(validCard, fc.integer({ min: 1, max: 9 }))
			.map(([c, k]) => c.slice(0, -1) + String((Number(c.at(-1)) + k) % 10))
			.filter((c) => !(c.length === 18 && idOk(c)));
		// Groups that start with 2–9: no part of the card can read as a phone number.
		const inGroups = fc
			.tuple(fc.array(fc.tuple(fc.constantFrom(...'23456789'), digits(3)), { minLength: 4, maxLength: 4 }), fc.constantFrom(' ', '-'))
			.map(([groups, sep]) => ({ card: groups.map(([a, b]) => a + b).join(''), sep }))
			.filter(({ card }) => !luhnOk(card))
			.map(({ card, sep }) => grouped(card, [4, 4, 4, 4], sep));
		fc.assert(
			fc.property(embed(fc.oneof(plain, inGroups)), ({ text }) => maskPersonalData(text) === text),
			{ numRuns: runs(300) }
		);
	});

	it('a mobile number inside a longer run of digits survives', () => {
		const longer = fc
			.tuple(validMobile, digits(1, 8))
			.map(([m, tail]) => m + tail)
			.filter((run) => !(run.length >= 16 && luhnOk(run)) && !(run.length === 18 && idOk(run)));
		fc.assert(
			fc.property(embed(longer), ({ text }) => maskPersonalData(text) === text),
			{ numRuns: runs(300) }
		);
	});
});
