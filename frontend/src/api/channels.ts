import * as Channels from '../../wailsjs/go/service/ChannelService';
import type { ChannelView, TestPostResult } from './types';

export const listChannels = () => Channels.List() as unknown as Promise<ChannelView[]>;
export const connectMastodon = (instance: string) => Channels.ConnectMastodon(instance) as unknown as Promise<ChannelView>;
export const cancelSignIn = () => Channels.CancelSignIn();
export const connectBluesky = (handle: string, appPassword: string, server: string) =>
  Channels.ConnectBluesky(handle, appPassword, server) as unknown as Promise<ChannelView>;
export const connectFacebook = (pageId: string, token: string) =>
  Channels.ConnectFacebook(pageId, token) as unknown as Promise<ChannelView>;
export const disconnectChannel = (id: string) => Channels.Disconnect(id);
export const sendTestPost = (id: string) => Channels.TestPost(id) as unknown as Promise<TestPostResult>;
export const deleteTestPost = (id: string) => Channels.DeleteTestPost(id) as unknown as Promise<ChannelView>;

export const ChannelEvents = {
  changed: 'channels:changed',
} as const;
