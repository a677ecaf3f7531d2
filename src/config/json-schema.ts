import { z } from 'zod';
import { ConfigSchema } from './schema.js';

/**
 * JSON Schema of config.yaml, generated from the zod schema so the two never drift. `io: 'input'`
 * describes what users write (fields with defaults are optional), not the parsed result.
 */
function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://github.com/valuescope/valuescope/docs/config.schema.json',
    title: 'valuescope config.yaml',
  };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
