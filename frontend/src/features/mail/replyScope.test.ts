import { describe, expect, it } from 'vitest';
import type { ScopeOptionView } from '../../api/mail';
import { mayTick } from './replyScope';

const o = (key: string, answer: ScopeOptionView['answer'], group: ScopeOptionView['group'] = 'channel'): ScopeOptionView =>
  ({ key, label: key, group, answer, line: '' });

describe('mayTick', () => {
  const opts = [
    o('full_name', 'no', 'identity'), o('first_name', 'yes', 'identity'), o('initials', 'unanswered', 'identity'),
    o('anonymous', 'unanswered', 'identity'), o('face', 'ambiguous', 'identity'),
    o('facebook', 'yes'), o('instagram', 'no'), o('website', 'unanswered'), o('linkedin', 'ambiguous'),
  ];
  const by = (k: string) => opts.find((x) => x.key === k)!;

  it('allows what the reply ticked and narrower name forms, never more', () => {
    expect(mayTick(by('facebook'), opts, false)).toBe(true);
    expect(mayTick(by('first_name'), opts, false)).toBe(true);
    expect(mayTick(by('initials'), opts, false)).toBe(true);
    expect(mayTick(by('anonymous'), opts, false)).toBe(true);
    expect(mayTick(by('full_name'), opts, false)).toBe(false);
    expect(mayTick(by('instagram'), opts, false)).toBe(false);
    expect(mayTick(by('website'), opts, false)).toBe(false);
  });

  it('allows unclear boxes only once the resolution is recorded', () => {
    expect(mayTick(by('linkedin'), opts, false)).toBe(false);
    expect(mayTick(by('face'), opts, false)).toBe(false);
    expect(mayTick(by('linkedin'), opts, true)).toBe(true);
    expect(mayTick(by('instagram'), opts, true)).toBe(false);
  });
});
