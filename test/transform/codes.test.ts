import { describe, it, expect } from 'vitest';
import {
  crisStatus, crimintStatus, sexCode, crisPersonRole, crisVehicleRole, crimintSubjectRole, ETHNIC_CODES, ethnicCode,
} from '../../src/transform/codes.ts';

describe('status codes', () => {
  it('maps CRIS status', () => {
    expect(['O', 'C', 'N', 'R', 'o', ' C ', 'X', '', null].map(crisStatus)).toEqual([
      'open', 'closed', 'no_crime', 'referred', 'open', 'closed', null, null, null,
    ]);
  });
  it('maps CRIMINT status', () => {
    expect(['ACTIVE', 'ARCHIVED', 'archived', 'DELETED', '', undefined].map(crimintStatus)).toEqual([
      'active', 'archived', 'archived', null, null, null,
    ]);
  });
  it('does not treat inherited object keys as codes', () => {
    expect(crisStatus('toString')).toBeNull();
    expect(crisStatus('CONSTRUCTOR')).toBeNull();
  });
});

describe('sexCode', () => {
  it('maps M/F/U without a warning', () => {
    expect(sexCode('M')).toEqual({ value: 'male', warning: false });
    expect(sexCode('F')).toEqual({ value: 'female', warning: false });
    expect(sexCode('U')).toEqual({ value: 'unknown', warning: false });
    expect(sexCode('f ')).toEqual({ value: 'female', warning: false });
  });
  it('maps NULL and blank to unknown without a warning (not recorded)', () => {
    expect(sexCode(null)).toEqual({ value: 'unknown', warning: false });
    expect(sexCode(undefined)).toEqual({ value: 'unknown', warning: false });
    expect(sexCode('')).toEqual({ value: 'unknown', warning: false });
    expect(sexCode(' ')).toEqual({ value: 'unknown', warning: false });
  });
  it('maps anything else to unknown with a warning', () => {
    expect(sexCode('X')).toEqual({ value: 'unknown', warning: true });
    expect(sexCode('MALE')).toEqual({ value: 'unknown', warning: true });
    expect(sexCode('1')).toEqual({ value: 'unknown', warning: true });
    expect(sexCode(1)).toEqual({ value: 'unknown', warning: true });
  });
});

describe('roles', () => {
  it('maps CRIS person roles', () => {
    expect(['VI', 'SU', 'WI', 'AC', 'RP', 'xx', null].map(crisPersonRole)).toEqual([
      'victim', 'suspect', 'witness', 'accused', 'reporting_person', null, null,
    ]);
  });
  it('maps CRIS vehicle roles', () => {
    expect(['ST', 'US', 'DA', 'st', 'XX'].map(crisVehicleRole)).toEqual(['stolen', 'used', 'damaged', 'stolen', null]);
  });
  it('maps CRIMINT subject roles', () => {
    expect(['SUBJECT', 'ASSOCIATE', 'VICTIM', 'MENTIONED', 'Subject', 'WITNESS'].map(crimintSubjectRole)).toEqual([
      'subject', 'associate', 'victim', 'mentioned', 'subject', null,
    ]);
  });
});

describe('ethnic codes', () => {
  it('lists IC1–IC6 and IC9', () => {
    expect(ETHNIC_CODES).toEqual(['IC1', 'IC2', 'IC3', 'IC4', 'IC5', 'IC6', 'IC9']);
    expect(['IC1', 'ic6', 'IC9 ', 'IC7', 'IC0', '', null].map(ethnicCode)).toEqual(['IC1', 'IC6', 'IC9', null, null, null, null]);
  });
});
