import { listOption } from './parse-options.js';
import type { RegisterCommand } from './types.js';

export const registerHistory: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('history')
    .description(
      'How the key metrics of one target moved over runs, oldest first: shares with intervals, significant changes between consecutive runs, served-model changes (writes history.json, history.md, history.csv, history.html and charts)',
    )
    .argument('<specs...>', 'two or more RUN_DIR, RUN_DIR#TARGET or baseline files, in any order (sorted by the run date)')
    .option('--target <id>', 'the target of every spec without #TARGET (required when a run holds several targets)')
    .option('--out <dir>', 'output directory (default: <config outDir or ./results>/history-<target>)')
    .option(
      '--config <file>',
      "config.yaml: alpha, watch list, and its gate rules' metrics added to the key metrics (not read unless given)",
    )
    .option(
      '--metrics <keys>',
      'comma-separated metric keys instead of the default key metrics (e.g. refusal_rate,response_type:strong_support)',
      listOption,
    )
    .option('--allow-suite-mismatch', 'compare consecutive runs of different suites (shared scenarios only)')
    .option('--allow-judge-mismatch', 'compare consecutive runs judged by different judges')
    .option('--allow-incomplete', 'analyse runs with unrun or unjudged cells, failed or foreign judgments (the output says so)')
    .option('--fail-on-drift', 'exit 1 when a change is flagged or the served model changed (for scheduled jobs)')
    .option('--no-charts', 'do not render charts/history-*.png')
    .action(async (specs: string[], flags: Record<string, unknown>) => {
      const { historyCommand } = await import('../../app/history-command.js');
      const clean = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
      setExit(await historyCommand(specs, clean, ctx));
    });
};
