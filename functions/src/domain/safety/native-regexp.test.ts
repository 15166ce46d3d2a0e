import { compiledToMachineCode } from './native-regexp';

describe('compiledToMachineCode', () => {
  it('returns the same expression, reset, whatever the blank run matched', () => {
    const blanks = / +/g;
    blanks.lastIndex = 5;
    expect(compiledToMachineCode(blanks)).toBe(blanks);
    expect(blanks.lastIndex).toBe(0);
    expect(blanks.exec('a  b')?.index).toBe(1);
  });

  it('leaves a sticky or plain expression working as before', () => {
    const word = /\bdie\b/;
    compiledToMachineCode(word);
    expect(word.test('i want to die')).toBe(true);
    const sticky = /die/y;
    compiledToMachineCode(sticky);
    expect(sticky.exec('die now')?.[0]).toBe('die');
  });
});
