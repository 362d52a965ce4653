// Pure transformation functions: legacy values → target values. No I/O.
export * from './text.ts';
export * from './names.ts';
export * from './calendar.ts';
export * from './london.ts';
export * from './time.ts';
export * from './dob.ts';
export * from './postcode.ts';
export * from './vrm.ts';
export * from './phone.ts';
export * from './pnc.ts';
export * from './grading.ts';
export * from './codes.ts';
