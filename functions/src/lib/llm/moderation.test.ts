import { toModerationResult } from './moderation';

describe('toModerationResult', () => {
  it('reads the self-harm categories and nothing else', () => {
    expect(
      toModerationResult({
        flagged: true,
        categories: { 'self-harm': true, 'self-harm/intent': false, violence: true },
      }),
    ).toEqual({
      flagged: true,
      selfHarm: true,
      selfHarmIntent: false,
      selfHarmInstructions: false,
    });
    expect(
      toModerationResult({
        flagged: true,
        categories: { 'self-harm/intent': true, 'self-harm/instructions': null },
      }),
    ).toEqual({
      flagged: true,
      selfHarm: false,
      selfHarmIntent: true,
      selfHarmInstructions: false,
    });
  });
});
