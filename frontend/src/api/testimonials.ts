import * as Testimonials from '../../wailsjs/go/service/TestimonialService';
import * as Mail from '../../wailsjs/go/service/MailService';
import type { SignatureInput, TestimonialInput } from './types';

export const listTestimonials = () => Testimonials.List();
export const createTestimonial = (t: TestimonialInput) => Testimonials.Create(t);
export const getTestimonial = (id: number) => Testimonials.Get(id);
export const updateTestimonial = (id: number, t: TestimonialInput) => Testimonials.Update(id, t);
export const deleteTestimonial = (id: number) => Testimonials.Delete(id);

// Approval of edited words by the patient, on this screen.
export const quoteEdit = (id: number) => Testimonials.QuoteEdit(id);
export const handApprovalToPatient = (id: number) => Testimonials.HandApprovalToPatient(id);
export const approvalScreen = () => Testimonials.ApprovalScreen();
export const approveQuote = (s: SignatureInput, shownSha256: string) => Testimonials.ApproveQuote(s, shownSha256);
export const declineQuote = () => Testimonials.DeclineQuote();

// Approval of edited words by email: sent and answered through the practice
// mailbox, so these live on the mail service.
export const emailApprovalReady = (id: number) => Mail.EmailApprovalReady(id);
export const emailApproval = (id: number) => Mail.EmailApproval(id);
export const sendQuoteApproval = (id: number) => Mail.SendQuoteApproval(id);
export const confirmQuoteReply = (replyId: number, how: string) => Mail.ConfirmQuoteReply(replyId, how);
export const declineQuoteReply = (replyId: number) => Mail.DeclineQuoteReply(replyId);
