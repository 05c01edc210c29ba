import * as Calendar from '../../wailsjs/go/service/CalendarService';
import type { Idea } from './types';

export const calendarSettings = () => Calendar.Settings();
export const saveCalendarSettings = (zone: string, specialties: string[]) =>
  Calendar.SaveSettings(zone, specialties);
export const calendarRange = (from: string, to: string) =>
  Calendar.Range(from, to);
export const awarenessYear = (year: number) => Calendar.AwarenessYear(year);
export const listIdeas = () => Calendar.Ideas();
export const saveIdea = (i: Idea) => Calendar.SaveIdea(i);
export const deleteIdea = (id: number) => Calendar.DeleteIdea(id);

export const DraftEvents = { changed: 'drafts:changed' } as const;
