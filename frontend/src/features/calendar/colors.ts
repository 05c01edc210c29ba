// One colour per content pillar, so a month shows at a glance whether the
// practice posts only tips. Mantine colour names and their hex for FullCalendar:
// dark enough (5:1 or more) for white text on a scheduled post and coloured
// text on a draft's white tile.
export const pillarColors: Record<string, { name: string; hex: string; label: string }> = {
  tip: { name: 'teal', hex: '#087f5b', label: 'Tip' },
  myth_fact: { name: 'grape', hex: '#862e9c', label: 'Myth / fact' },
  team: { name: 'blue', hex: '#1864ab', label: 'Team' },
  testimonial: { name: 'orange', hex: '#c2410c', label: 'Testimonial' },
  event: { name: 'pink', hex: '#a61e4d', label: 'Event' },
  news: { name: 'indigo', hex: '#364fc7', label: 'News' },
};

export const pillarColor = (p: string) => pillarColors[p]?.name ?? 'gray';
export const pillarHex = (p: string) => pillarColors[p]?.hex ?? '#5f666d';
