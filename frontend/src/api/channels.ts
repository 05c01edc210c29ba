import * as Channels from '../../wailsjs/go/service/ChannelService';
import type { gbp, service } from '../../wailsjs/go/models';

/** A Business Profile location the signed-in Google account manages. */
export type GoogleLocation = gbp.Location;

/** After signing in to Google: the channel, or the locations to pick from. */
export type GoogleSignIn = service.GoogleSignIn;

/** Which browser sign-ins this copy of PracticePost offers. */
export type SignInOptions = service.SignInOptions;

export const listChannels = () => Channels.List();
export const connectMastodon = (instance: string) => Channels.ConnectMastodon(instance);
export const cancelSignIn = () => Channels.CancelSignIn();
export const connectBluesky = (handle: string, appPassword: string, server: string) =>
  Channels.ConnectBluesky(handle, appPassword, server);
export const connectFacebook = (pageId: string, token: string) =>
  Channels.ConnectFacebook(pageId, token);
export const connectInstagram = (pageId: string, token: string) =>
  Channels.ConnectInstagram(pageId, token);
export const connectLinkedInToken = (organization: string, token: string) =>
  Channels.ConnectLinkedInToken(organization, token);
export const connectLinkedIn = (organization: string) => Channels.ConnectLinkedIn(organization);
export const connectGoogle = () => Channels.ConnectGoogle();
export const chooseGoogleLocation = (pending: string, locationId: string) =>
  Channels.ChooseGoogleLocation(pending, locationId);
export const connectX = () => Channels.ConnectX();
export const signInOptions = () => Channels.SignInOptions();
export const disconnectChannel = (id: string) => Channels.Disconnect(id);
export const sendTestPost = (id: string) => Channels.TestPost(id);
export const deleteTestPost = (id: string) => Channels.DeleteTestPost(id);
/** Instagram: "page" (through the linked Facebook Page) or "bucket". */
export const setImageRoute = (id: string, route: string) => Channels.SetImageRoute(id, route);

export const ChannelEvents = {
  changed: 'channels:changed',
} as const;
