import type { RegisterCommand } from './types.js';

export const registerGate: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('gate')
    .description('Fail when a model value profile drifts beyond the configured rules (exit 0 pass, 1 drift, 2 error)')
    .argument('<base>', 'RUN_DIR, RUN_DIR#MODEL_ID or a baseline file (valuescope baseline save)')
    .argument('<cand>', 'RUN_DIR, RUN_DIR#MODEL_ID or a baseline file (valuescope baseline save)')
    .option('--config <file>', 'config.yaml with the `gate:` rules', 'config.yaml')
    .option('--junit <file>', 'write JUnit XML (one test case per rule)')
    .option('--summary <file>', 'append the Markdown summary here (default: $GITHUB_STEP_SUMMARY when set)')
    .option('--out <dir>', 'write gate.json here')
    .option('--allow-suite-mismatch', 'compare runs of different suites (shared scenarios only)')
    .option('--allow-judge-mismatch', 'compare judgments from different judges')
    .option('--allow-incomplete', 'analyse runs with unrun or unjudged cells, failed or foreign judgments (every output says INCOMPLETE)')
    .option(
      '--labels <files...>',
      'human label files for gate.decideOn: corrected (default: judge.labels in the config; unused when the gate decides on the judge)',
    )
    .option('--no-report', 'with --out: do not write report.md, report.html and charts there')
    .action(async (base: string, cand: string, flags: Record<string, unknown>) => {
      const { gateCommand } = await import('../../app/gate-command.js');
      const clean = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
      setExit(await gateCommand(base, cand, clean, ctx));
    });
};
