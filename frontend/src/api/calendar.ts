import * as Calendar from '../../wailsjs/go/service/CalendarService';
import type { AwarenessView, CalendarRange, CalendarSettings, Idea } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const calendarSettings = () => Calendar.Settings() as unknown as Promise<CalendarSettings>;
export const saveCalendarSettings = (zone: string, specialties: string[]) =>
  Calendar.SaveSettings(zone, specialties) as unknown as Promise<CalendarSettings>;
export const calendarRange = (from: string, to: string) =>
  Calendar.Range(from, to) as unknown as Promise<CalendarRange>;
export const awarenessYear = (year: number) => Calendar.AwarenessYear(year) as unknown as Promise<AwarenessView[]>;
export const listIdeas = () => Calendar.Ideas() as unknown as Promise<Idea[]>;
export const saveIdea = (i: Idea) => Calendar.SaveIdea(i as any) as unknown as Promise<Idea>;
export const deleteIdea = (id: number) => Calendar.DeleteIdea(id);

export const DraftEvents = { changed: 'drafts:changed' } as const;
