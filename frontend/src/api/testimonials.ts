import * as Testimonials from '../../wailsjs/go/service/TestimonialService';
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
