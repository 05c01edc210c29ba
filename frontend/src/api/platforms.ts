import { useEffect, useState } from 'react';
import * as Channels from '../../wailsjs/go/service/ChannelService';
import type { app } from '../../wailsjs/go/models';

/** One platform's descriptor: the Go table in app/platform.go is the only place these facts are kept. */
export type PlatformInfo = app.PlatformInfo;

// The table does not change while the app runs, so it is asked for once and
// shared. A failed ask (the data file still locked) is not kept, so the next
// screen that needs the table asks again.
let cached: Promise<PlatformInfo[]> | null = null;

export function listPlatforms(): Promise<PlatformInfo[]> {
  if (!cached) {
    const ask = Channels.Platforms().then((ps) => ps ?? []);
    cached = ask;
    ask.catch(() => {
      if (cached === ask) cached = null;
    });
  }
  return cached;
}

/** The descriptor table, or null until it has loaded (or when it could not be read). */
export function usePlatforms(): PlatformInfo[] | null {
  const [platforms, setPlatforms] = useState<PlatformInfo[] | null>(null);
  useEffect(() => {
    let live = true;
    listPlatforms()
      .then((ps) => live && setPlatforms(ps))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return platforms;
}

/** The descriptor of the platform posts for a consent channel go to ("google_business" is Google's). */
export function platformForChannel(platforms: PlatformInfo[] | null, channel: string): PlatformInfo | undefined {
  return platforms?.find((p) => p.channel === channel);
}

/**
 * The consent channel (the name drafts and consents use) for a stored platform
 * name; like app.Platform.Channel, an unknown name is taken as spelled.
 */
export function channelForPlatform(platforms: PlatformInfo[] | null, platform: string): string {
  return platforms?.find((p) => p.name === platform)?.channel ?? platform;
}

/**
 * Whether the platform gives numbers per post (Google gives its location's
 * daily totals only). Until the table has loaded, a platform is taken to
 * give them, so a row reads "No numbers yet" rather than a wrong excuse.
 */
export function givesPostNumbers(platforms: PlatformInfo[] | null, platform: string): boolean {
  return platforms?.find((p) => p.name === platform)?.postMetrics ?? true;
}
