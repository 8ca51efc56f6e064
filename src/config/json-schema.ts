import { z } from 'zod';
import { configSchema } from './schema/index.js';

/**
 * The configuration's JSON Schema (draft 2020-12) for editors. Generated from the zod schema
 * in its input form: durations and secret references are the strings a user writes.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://cqrs-slo.dev/config/schema.json',
    title: 'cqrs-slo configuration',
    description: 'Generated from src/config/schema by `npm run generate`; do not edit.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
