import { describe, expect, it } from 'vitest';
import { errorMessage, toAppError } from './errors';

describe('toAppError', () => {
  it('reads the coded JSON the Go side sends', () => {
    expect(toAppError('{"code":"invalid","message":"Enter the practice name.","field":"practiceName"}')).toEqual({
      code: 'invalid',
      message: 'Enter the practice name.',
      field: 'practiceName',
    });
  });
  it('keeps a plain string message', () => {
    expect(errorMessage('The data file is closed.')).toBe('The data file is closed.');
  });
  it('never shows [object Object] or an empty message', () => {
    expect(errorMessage({ foo: 1 })).toMatch(/Something went wrong/);
    expect(errorMessage(undefined)).toMatch(/Something went wrong/);
    expect(errorMessage('')).toMatch(/Something went wrong/);
  });
  it('unwraps Error objects whose message is coded JSON', () => {
    expect(errorMessage(new Error('{"code":"conflict","message":"Newer version."}'))).toBe('Newer version.');
  });
});
