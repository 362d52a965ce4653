import { describe, it, expect } from 'vitest';
import { convertGrading } from '../../src/transform/grading.ts';

const g = (source: string, intel: string, handling: string) => ({ source, intel, handling });

describe('convertGrading 5x5x5', () => {
  it('maps each source row', () => {
    expect(convertGrading('5x5x5', g('A', '1', '1'))).toEqual({ source: '1', intel: 'A', handling: 'P', legacy: '5x5x5:A11', warning: null });
    expect(convertGrading('5x5x5', g('B', '2', '1'))).toEqual({ source: '1', intel: 'A', handling: 'P', legacy: '5x5x5:B21', warning: null });
    expect(convertGrading('5x5x5', g('C', '1', '1'))).toEqual({ source: '2', intel: 'A', handling: 'P', legacy: '5x5x5:C11', warning: 'grading_ambiguous' });
    expect(convertGrading('5x5x5', g('D', '1', '1'))).toEqual({ source: '3', intel: 'A', handling: 'P', legacy: '5x5x5:D11', warning: null });
    expect(convertGrading('5x5x5', g('E', '1', '1'))).toEqual({ source: '2', intel: 'A', handling: 'P', legacy: '5x5x5:E11', warning: null });
  });
  it('maps each intelligence row', () => {
    const intel = (i: string) => (convertGrading('5x5x5', g('A', i, '1')) as { intel: string }).intel;
    expect(intel('1')).toBe('A');
    expect(intel('2')).toBe('A');
    expect(intel('3')).toBe('B');
    expect(intel('4')).toBe('D');
    expect(intel('5')).toBe('E');
  });
  it('maps each handling row', () => {
    const handling = (h: string) => (convertGrading('5x5x5', g('A', '1', h)) as { handling: string }).handling;
    expect(handling('1')).toBe('P');
    expect(handling('2')).toBe('C');
    expect(handling('3')).toBe('C');
    expect(handling('4')).toBe('C');
    expect(handling('5')).toBe('C');
  });
  it('converts a full example', () => {
    expect(convertGrading('5x5x5', g('C', '4', '3'))).toEqual({ source: '2', intel: 'D', handling: 'C', legacy: '5x5x5:C43', warning: 'grading_ambiguous' });
    expect(convertGrading('5x5x5', g('d', ' 5', '2 '))).toEqual({ source: '3', intel: 'E', handling: 'C', legacy: '5x5x5:D52', warning: null });
  });
  it('rejects invalid values', () => {
    expect(convertGrading('5x5x5', g('F', '1', '1'))).toEqual({ error: 'invalid 5x5x5 source "F"' });
    expect(convertGrading('5x5x5', g('A', '6', '1'))).toEqual({ error: 'invalid 5x5x5 intelligence "6"' });
    expect(convertGrading('5x5x5', g('A', '0', '1'))).toEqual({ error: 'invalid 5x5x5 intelligence "0"' });
    expect(convertGrading('5x5x5', g('A', '1', 'P'))).toEqual({ error: 'invalid 5x5x5 handling "P"' });
    expect(convertGrading('5x5x5', g('1', 'A', 'P'))).toEqual({ error: 'invalid 5x5x5 source "1"' });
    expect(convertGrading('5x5x5', g('', '1', '1'))).toEqual({ error: 'invalid 5x5x5 source ""' });
  });
});

describe('convertGrading 3x5x2', () => {
  it('keeps the grading as recorded', () => {
    expect(convertGrading('3x5x2', g('1', 'A', 'P'))).toEqual({ source: '1', intel: 'A', handling: 'P', legacy: '3x5x2:1AP', warning: null });
    expect(convertGrading('3x5x2', g('2', 'C', 'C'))).toEqual({ source: '2', intel: 'C', handling: 'C', legacy: '3x5x2:2CC', warning: null });
    expect(convertGrading('3x5x2', g('3', 'e', 'c'))).toEqual({ source: '3', intel: 'E', handling: 'C', legacy: '3x5x2:3EC', warning: null });
  });
  it('rejects invalid values', () => {
    expect(convertGrading('3x5x2', g('4', 'A', 'P'))).toEqual({ error: 'invalid 3x5x2 source "4"' });
    expect(convertGrading('3x5x2', g('A', '1', '1'))).toEqual({ error: 'invalid 3x5x2 source "A"' });
    expect(convertGrading('3x5x2', g('1', 'F', 'P'))).toEqual({ error: 'invalid 3x5x2 intelligence "F"' });
    expect(convertGrading('3x5x2', g('1', 'A', 'X'))).toEqual({ error: 'invalid 3x5x2 handling "X"' });
  });
});

describe('convertGrading scheme', () => {
  it('rejects an unknown scheme', () => {
    expect(convertGrading('4x4', g('1', 'A', 'P'))).toEqual({ error: 'unknown grading scheme "4x4"' });
    expect(convertGrading('', g('1', 'A', 'P'))).toEqual({ error: 'unknown grading scheme ""' });
  });
  it('accepts the scheme in any case and with spaces', () => {
    expect(convertGrading(' 5X5X5 ', g('B', '2', '1'))).toEqual({ source: '1', intel: 'A', handling: 'P', legacy: '5x5x5:B21', warning: null });
  });
});
