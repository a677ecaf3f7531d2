import type { RegisterCommand } from './types.js';

export const registerReport: RegisterCommand = (program, ctx) => {
  program
    .command('report')
    .description('Write report.md, report.html and charts/*.png for a run or a diff directory')
    .argument('<dir>', 'a run directory (profile.json, transcripts.jsonl) or a diff directory (diff.json, gate.json)')
    .option('--out <dir>', 'write the report here instead of into <dir>')
    .option('--no-charts', 'skip the PNG charts (they need the optional native canvas module)')
    .option('--allow-incomplete', 'report a run whose cells are not all run and judged (the report then says INCOMPLETE at the top)')
    .action(async (dir: string, opts: { out?: string; charts: boolean; allowIncomplete?: boolean }) => {
      const { runReportCommand } = await import('../../app/report-command.js');
      await runReportCommand(dir, opts, ctx);
    });
};
