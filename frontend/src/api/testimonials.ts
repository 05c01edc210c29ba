import * as Testimonials from '../../wailsjs/go/service/TestimonialService';
import type { TestimonialInput, TestimonialView } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const listTestimonials = () => Testimonials.List() as unknown as Promise<TestimonialView[]>;
export const createTestimonial = (t: TestimonialInput) => Testimonials.Create(t as any) as unknown as Promise<TestimonialView>;
export const getTestimonial = (id: number) => Testimonials.Get(id) as unknown as Promise<TestimonialView>;
