import type { RegisterCommand } from './types.js';

export const registerSchema: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('schema')
    .description('Print the JSON Schema of config.yaml (for editor autocompletion); docs/config.schema.json is the shipped copy')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (opts: { out?: string }) => {
      const { configJsonSchemaText } = await import('../../config/json-schema.js');
      const text = configJsonSchemaText();
      if (opts.out) {
        const { writeFile } = await import('node:fs/promises');
        const { resolve } = await import('node:path');
        await writeFile(resolve(ctx.cwd, opts.out), text);
        ctx.stderr.write(`wrote ${opts.out}\n`);
      } else ctx.stdout.write(text);
      setExit(0);
    });
};
