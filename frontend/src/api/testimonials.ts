import * as Testimonials from '../../wailsjs/go/service/TestimonialService';
import type { TestimonialInput } from './types';

export const listTestimonials = () => Testimonials.List();
export const createTestimonial = (t: TestimonialInput) => Testimonials.Create(t);
export const getTestimonial = (id: number) => Testimonials.Get(id);
export const updateTestimonial = (id: number, t: TestimonialInput) => Testimonials.Update(id, t);
export const deleteTestimonial = (id: number) => Testimonials.Delete(id);
