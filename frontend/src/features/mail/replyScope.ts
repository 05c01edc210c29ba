import type { ScopeOptionView } from '../../api/mail';

/** Name forms from least to most revealing (app.NameForms): agreeing to one allows every form before it. */
const nameForms = ['anonymous', 'initials', 'first_name', 'full_name'];

/**
 * Whether a box may be ticked when confirming a reply: the reply agreed to
 * it, or to a more revealing name form, or answered it unclearly and the
 * manager has recorded how that was resolved. A box left blank, declined or
 * missing can never be ticked (the backend refuses it too).
 */
export function mayTick(o: ScopeOptionView, options: ScopeOptionView[], resolved: boolean): boolean {
  const allowed = (x: ScopeOptionView) => x.answer === 'yes' || (resolved && x.answer === 'ambiguous');
  if (allowed(o)) return true;
  const rank = nameForms.indexOf(o.key);
  if (rank < 0) return false;
  return options.some((x) => allowed(x) && nameForms.indexOf(x.key) >= rank);
}

/** The reply's own answer for a box, in plain words. */
export const replyAnswerWords: Record<ScopeOptionView['answer'], string> = {
  yes: 'Ticked',
  no: 'Left blank',
  ambiguous: 'Unclear',
  unanswered: 'Not in the reply',
};
