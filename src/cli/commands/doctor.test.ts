import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';

/** `skucast doctor --help` describes every line doctor prints, the `dates:` check's too (it was documented nowhere). */
describe('skucast doctor --help', () => {
  it('describes the counters and the dates lines, and says a dates warning does not change the exit code', () => {
    const doctor = buildProgram().commands.find((c) => c.name() === 'doctor')!;
    let help = '';
    doctor.configureOutput({ writeOut: (text) => { help += text; } });
    doctor.outputHelp(); // with the text added after the options
    expect(help.replace(/\s+/g, ' ')).toMatch(/check each dataset's date convention \(warns, repairs nothing\)/);
    expect(help).toMatch(/^ {2}counters: exact /m);
    expect(help).toMatch(/^ {2}dates: every dataset dates its periods one way \(\.\.\.\)$/m);
    expect(help).toMatch(/^ {2}dates: warning: dataset <id> \(<name>\) mixes date conventions/m);
    expect(help.replace(/\s+/g, ' ')).toMatch(/not repaired \(re-import the dataset\); does not change the exit code/);
  });
});
