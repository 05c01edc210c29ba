// One colour per content pillar, so a month shows at a glance whether the
// practice posts only tips. Mantine colour names and their hex for FullCalendar.
export const pillarColors: Record<string, { name: string; hex: string; label: string }> = {
  tip: { name: 'teal', hex: '#0ca678', label: 'Tip' },
  myth_fact: { name: 'grape', hex: '#ae3ec9', label: 'Myth / fact' },
  team: { name: 'blue', hex: '#1c7ed6', label: 'Team' },
  testimonial: { name: 'orange', hex: '#f76707', label: 'Testimonial' },
  event: { name: 'pink', hex: '#d6336c', label: 'Event' },
  news: { name: 'indigo', hex: '#4263eb', label: 'News' },
};

export const pillarColor = (p: string) => pillarColors[p]?.name ?? 'gray';
export const pillarHex = (p: string) => pillarColors[p]?.hex ?? '#868e96';
