import { describe, expect, it } from 'vitest';
import { suggestSchemaName } from './schemaName';

describe('suggestSchemaName', () => {
  it.each([
    ['Acme Inc.', 'acme_inc'],
    ['  Big--Corp  ', 'big_corp'],
    ['3M', 'org_3m'],
    ['Ünïcode Café', 'unicode_cafe'],
  ])('turns %j into %j', (name, schema) => {
    expect(suggestSchemaName(name)).toBe(schema);
  });
});
