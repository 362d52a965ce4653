import { describe, it, expect } from 'vitest';
import { stripNul, blankToNull, cleanText, hasMojibake, foldAccents, tokenise } from '../../src/transform/text.ts';

describe('stripNul', () => {
  it('removes every U+0000; without one, the same string comes back', () => {
    expect(stripNul('ab\u0000c\u0000')).toBe('abc');
    expect(stripNul('\u0000')).toBe('');
    const s = 'abc';
    expect(stripNul(s)).toBe(s);
    expect(stripNul('')).toBe('');
  });
});

describe('blankToNull', () => {
  it('maps null, undefined, empty and whitespace-only to null', () => {
    expect(blankToNull(null)).toBeNull();
    expect(blankToNull(undefined)).toBeNull();
    expect(blankToNull('')).toBeNull();
    expect(blankToNull('   ')).toBeNull();
    expect(blankToNull('\t\r\n ')).toBeNull();
  });
  it('returns other strings unchanged (not trimmed)', () => {
    expect(blankToNull(' a ')).toBe(' a ');
    expect(blankToNull('TX ')).toBe('TX ');
    expect(blankToNull('\u0000')).toBe('\u0000');
  });
  it('turns numbers into strings and other values into null', () => {
    expect(blankToNull(0)).toBe('0');
    expect(blankToNull(12.5)).toBe('12.5');
    expect(blankToNull(3n)).toBe('3');
    expect(blankToNull({})).toBeNull();
    expect(blankToNull([])).toBeNull();
  });
});

describe('cleanText', () => {
  it('trims and removes NUL but keeps inner CR/LF, tabs and repeated spaces', () => {
    expect(cleanText('  Suspect\u0000 ran off.\r\n\tThen  left. ')).toBe('Suspect ran off.\r\n\tThen  left.');
    expect(cleanText('TX ')).toBe('TX');
  });
  it('maps blank and NUL-only values to null', () => {
    expect(cleanText(null)).toBeNull();
    expect(cleanText(undefined)).toBeNull();
    expect(cleanText('')).toBeNull();
    expect(cleanText(' \r\n ')).toBeNull();
    expect(cleanText('\u0000 \u0000')).toBeNull();
  });
  it('stringifies numbers', () => {
    expect(cleanText(42)).toBe('42');
  });
});

describe('hasMojibake', () => {
  it('flags UTF-8 read as Windows-1252', () => {
    expect(hasMojibake('CafÃ©')).toBe(true); // é
    expect(hasMojibake('ZoÃ«')).toBe(true); // ë
    expect(hasMojibake('MÃ¼ller')).toBe(true); // ü
    expect(hasMojibake('HÃ¨ne')).toBe(true); // è
    expect(hasMojibake('Ã‰LODIE')).toBe(true); // É = C3 89, 0x89 → ‰
    expect(hasMojibake('JosÃ\u00A9')).toBe(true);
    expect(hasMojibake('O’Brien read as Oâ€™Brien')).toBe(true); // ’ = E2 80 99
    expect(hasMojibake('â€œquotedâ€')).toBe(true); // “ = E2 80 9C
    expect(hasMojibake('Â£50')).toBe(true); // £ = C2 A3
    expect(hasMojibake('Å‚odz')).toBe(true); // ł = C5 82
    expect(hasMojibake('ðŸ˜€')).toBe(true); // 😀 = F0 9F 98 80
  });
  it('does not flag ordinary accented text', () => {
    expect(hasMojibake('Zoë')).toBe(false);
    expect(hasMojibake('José')).toBe(false);
    expect(hasMojibake('Ó Súilleabháin')).toBe(false);
    expect(hasMojibake('MÜLLER')).toBe(false);
    expect(hasMojibake('São Paulo')).toBe(false);
    expect(hasMojibake('SÃO PAULO')).toBe(false);
    expect(hasMojibake('JOSÉ’S CAR – the CAFÉ…')).toBe(false);
    expect(hasMojibake('Strauß, Łukasz, Ærø, Øst')).toBe(false);
    expect(hasMojibake('O’Brien “quoted” £50 – 20°C')).toBe(false);
    expect(hasMojibake('')).toBe(false);
    expect(hasMojibake('plain ASCII')).toBe(false);
  });
});

describe('foldAccents', () => {
  it('strips combining marks and keeps case', () => {
    expect(foldAccents('É')).toBe('E');
    expect(foldAccents('José Zoë')).toBe('Jose Zoe');
    expect(foldAccents('Ó Súilleabháin')).toBe('O Suilleabhain');
    expect(foldAccents('Jose\u0301')).toBe('Jose'); // already decomposed
    expect(foldAccents('ÇĞİŞ')).toBe('CGIS');
  });
  it('folds letters without a decomposition like PostgreSQL unaccent', () => {
    expect(foldAccents('Strauß')).toBe('Strauss');
    expect(foldAccents('ẞ')).toBe('SS');
    expect(foldAccents('Æsop œuvre')).toBe('AEsop oeuvre');
    expect(foldAccents('Søren Łukasz Đorđe Þór')).toBe('Soren Lukasz Dorde THor');
  });
  it('applies compatibility decomposition (NFKD)', () => {
    expect(foldAccents('ﬁle')).toBe('file');
    expect(foldAccents('Ａ１')).toBe('A1');
    expect(foldAccents('x²')).toBe('x2');
  });
  it('leaves ASCII alone', () => {
    expect(foldAccents("O'Brien-Smith 12")).toBe("O'Brien-Smith 12");
    expect(foldAccents('')).toBe('');
  });
});

describe('tokenise', () => {
  it('splits on anything that is not a letter or digit', () => {
    expect(tokenise("Stab-wound at O'Brien's")).toEqual(['stab', 'wound', 'at', 'o', 'brien', 's']);
    expect(tokenise('Ford FOCUS, reg AB12CDE; 3 males.')).toEqual(['ford', 'focus', 'reg', 'ab12cde', '3', 'males']);
    expect(tokenise('line1\r\nline2\tline3')).toEqual(['line1', 'line2', 'line3']);
  });
  it('case-folds and accent-folds, without splitting decomposed accents', () => {
    expect(tokenise('CAFÉ café Cafe\u0301')).toEqual(['cafe', 'cafe', 'cafe']);
    expect(tokenise('Straße İstanbul')).toEqual(['strasse', 'istanbul']);
    expect(tokenise('Ó Súilleabháin')).toEqual(['o', 'suilleabhain']);
  });
  it('keeps non-Latin letters', () => {
    expect(tokenise('Иван 東京')).toEqual(['иван', '東京']);
  });
  it('returns [] for null, empty and punctuation-only input', () => {
    expect(tokenise(null)).toEqual([]);
    expect(tokenise('')).toEqual([]);
    expect(tokenise(' -- ,, ')).toEqual([]);
  });
  it('ignores NUL as a separator', () => {
    expect(tokenise('knife\u0000point')).toEqual(['knife', 'point']);
  });
});
