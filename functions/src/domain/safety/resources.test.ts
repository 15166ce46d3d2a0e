import { crisisResources, elevatedResources, resourcesFor, supportiveReply } from './resources';

describe('crisisResources', () => {
  it('lists 112, Självmordslinjen and 1177 for Swedish', () => {
    expect(crisisResources('sv')).toEqual([
      { name: '112 – nödnummer vid akut fara', phone: '112' },
      {
        name: 'Självmordslinjen (Mind)',
        phone: '90101',
        url: 'https://mind.se/hitta-hjalp/sjalvmordslinjen/',
      },
      { name: '1177 Vårdguiden', phone: '1177', url: 'https://www.1177.se' },
    ]);
  });

  it('lists the local emergency number, 988, Samaritans and findahelpline for English', () => {
    const resources = crisisResources('en');
    expect(resources[0]?.name).toMatch(/local emergency number.*112.*911/);
    expect(resources.slice(1)).toEqual([
      { name: '988 Suicide & Crisis Lifeline (US)', phone: '988', url: 'https://988lifeline.org' },
      { name: 'Samaritans (UK & Ireland)', phone: '116 123', url: 'https://www.samaritans.org' },
      {
        name: 'Find A Helpline (helplines in other countries)',
        url: 'https://findahelpline.com',
      },
    ]);
  });

  it('returns fresh copies that callers may change', () => {
    const first = crisisResources('sv');
    first[0]!.name = 'changed';
    first.pop();
    expect(crisisResources('sv')[0]?.name).toBe('112 – nödnummer vid akut fara');
    expect(crisisResources('sv')).toHaveLength(3);
  });
});

describe('resourcesFor', () => {
  it('maps levels to nothing, the gentle set and the crisis set', () => {
    expect(resourcesFor('none', 'en')).toEqual([]);
    expect(resourcesFor('elevated', 'sv')).toEqual(elevatedResources('sv'));
    expect(resourcesFor('crisis', 'sv')).toEqual(crisisResources('sv'));
  });

  it('leaves the emergency number out of the gentle set', () => {
    for (const lang of ['en', 'sv'] as const) {
      const crisis = crisisResources(lang);
      expect(elevatedResources(lang)).toEqual(crisis.slice(1));
    }
  });
});

describe('supportiveReply', () => {
  it('is warm and names every Swedish crisis resource, in Swedish', () => {
    const reply = supportiveReply('sv');
    expect(reply).toMatch(/^Jag är så ledsen/);
    for (const needle of ['112', '90101', '1177', 'Självmordslinjen', 'mind.se', '1177.se']) {
      expect(reply).toContain(needle);
    }
    expect(reply).not.toMatch(/\b(call|please)\b/i);
  });

  it('is warm and names every English crisis resource, in English', () => {
    const reply = supportiveReply('en');
    expect(reply).toMatch(/^I'm really sorry/);
    for (const needle of [
      'local emergency number',
      '112',
      '911',
      '988',
      '988lifeline.org',
      'Samaritans',
      '116 123',
      'samaritans.org',
      'findahelpline.com',
    ]) {
      expect(reply).toContain(needle);
    }
  });

  it('does not sound clinical', () => {
    for (const lang of ['en', 'sv'] as const) {
      expect(supportiveReply(lang)).not.toMatch(/diagnos|disorder|patient|symptom|störning/i);
    }
  });
});
