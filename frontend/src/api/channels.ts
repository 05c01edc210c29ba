import * as Channels from '../../wailsjs/go/service/ChannelService';
import type { ChannelView, TestPostResult } from './types';

/** A Business Profile location the signed-in Google account manages. */
export interface GoogleLocation {
  accountId: string;
  accountName: string;
  locationId: string;
  title: string;
  address: string;
}

/** After signing in to Google: the channel, or the locations to pick from. */
export interface GoogleSignIn {
  channel: ChannelView | null;
  pending: string;
  locations: GoogleLocation[];
}

/** Which browser sign-ins this copy of PracticePost offers. */
export interface SignInOptions {
  x: boolean;
  google: boolean;
  linkedin: boolean;
  mediaHosting: boolean;
}

/** The name a draft uses for a channel's platform (Google is "google_business" there). */
export const draftChannel = (platform: string) => (platform === 'google' ? 'google_business' : platform);

export const listChannels = () => Channels.List() as unknown as Promise<ChannelView[]>;
export const connectMastodon = (instance: string) => Channels.ConnectMastodon(instance) as unknown as Promise<ChannelView>;
export const cancelSignIn = () => Channels.CancelSignIn();
export const connectBluesky = (handle: string, appPassword: string, server: string) =>
  Channels.ConnectBluesky(handle, appPassword, server) as unknown as Promise<ChannelView>;
export const connectFacebook = (pageId: string, token: string) =>
  Channels.ConnectFacebook(pageId, token) as unknown as Promise<ChannelView>;
export const connectInstagram = (pageId: string, token: string) =>
  Channels.ConnectInstagram(pageId, token) as unknown as Promise<ChannelView>;
export const connectLinkedInToken = (organization: string, token: string) =>
  Channels.ConnectLinkedInToken(organization, token) as unknown as Promise<ChannelView>;
export const connectLinkedIn = (organization: string) => Channels.ConnectLinkedIn(organization) as unknown as Promise<ChannelView>;
export const connectGoogle = () => Channels.ConnectGoogle() as unknown as Promise<GoogleSignIn>;
export const chooseGoogleLocation = (pending: string, locationId: string) =>
  Channels.ChooseGoogleLocation(pending, locationId) as unknown as Promise<ChannelView>;
export const connectX = () => Channels.ConnectX() as unknown as Promise<ChannelView>;
export const signInOptions = () => Channels.SignInOptions() as unknown as Promise<SignInOptions>;
export const disconnectChannel = (id: string) => Channels.Disconnect(id);
export const sendTestPost = (id: string) => Channels.TestPost(id) as unknown as Promise<TestPostResult>;
export const deleteTestPost = (id: string) => Channels.DeleteTestPost(id) as unknown as Promise<ChannelView>;

export const ChannelEvents = {
  changed: 'channels:changed',
} as const;
