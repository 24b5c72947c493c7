import { describe, expect, it } from 'vitest';
import { inFormWords, missingFields } from './validation';

const REQUIRED = { title: 'Enter a title.' };

describe('missingFields', () => {
  it.each([
    [{ title: '' }, { title: ['Enter a title.'] }],
    [{ title: ' \t\n' }, { title: ['Enter a title.'] }],
    [{}, { title: ['Enter a title.'] }],
    [{ title: 'x' }, null],
  ])('checks %j', (values, expected) => {
    expect(missingFields(values, REQUIRED)).toEqual(expected);
  });
});

describe('inFormWords', () => {
  it('words a blank required field as the form does, and keeps every other message', () => {
    const server = { title: ['Length must be between 1 and 200.'], description: ['Too long.'] };
    expect(inFormWords(server, { title: '' }, REQUIRED)).toEqual({
      title: ['Enter a title.'],
      description: ['Too long.'],
    });
    expect(inFormWords(server, { title: 'x' }, REQUIRED)).toEqual(server);
    expect(inFormWords(undefined, {}, REQUIRED)).toEqual({});
  });
});
