import { notifications } from '@mantine/notifications';
import type { LockStatus } from '../../api/types';

/** What the manager is told on taking the screen back from a patient approving new words. */
export function approvalNotice(s: LockStatus): { color: string; title: string; message: string } | null {
  if (!s.quoteTestimonialId) return null;
  switch (s.quoteOutcome) {
    case 'approved':
      return { color: 'teal', title: 'New words approved', message: 'The patient approved the new words with their signature. The testimonial may go out again wherever its consent allows.' };
    case 'declined':
      return { color: 'orange', title: 'New words not approved', message: 'The patient declined the new words, so no approval was recorded and the testimonial stays blocked. Put back the words they approved, or talk to them.' };
    default:
      return { color: 'gray', title: 'Nothing approved', message: 'The screen was taken back before the patient answered. Nothing was recorded.' };
  }
}

/** Where the manager lands after unlocking: the consent just signed, the testimonial just answered for, or where they were. */
export function afterUnlock(s: LockStatus, go: (to: string) => void, route: string[]) {
  if (s.signedConsentId) return go(`consents/${s.signedConsentId}`);
  const notice = approvalNotice(s);
  if (!notice) return go(route.join('/'));
  go('testimonials');
  notifications.show({ ...notice, autoClose: 12000 });
}
