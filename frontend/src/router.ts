import { useEffect, useState } from 'react';

// A hash route such as "#/settings/backup": enough for a desktop app with a
// sidebar, and it lets the end-to-end tests open a screen directly.
export function parseRoute(hash: string): string[] {
  const path = hash.replace(/^#\/?/, '');
  return path ? path.split('/').filter(Boolean) : ['home'];
}

export function useRoute(): [string[], (to: string) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [route, (to: string) => (window.location.hash = '#/' + to.replace(/^\//, ''))];
}
