import React from 'react';
import ReactDOM from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dropzone/styles.css';
import './app.css';
import { cssVariables, theme } from './theme';
import { App } from './App';
import { ensureFontFaces } from './fonts';
import { installDropGuard } from './features/lock/dropGuard';

// The interface itself uses the bundled Inter, so it looks the same on every machine.
ensureFontFaces([{ name: 'Inter', regular: 'Inter-Regular.otf', bold: 'Inter-SemiBold.otf', italic: 'Inter-Italic.otf' }]);

// Dropping a file outside a drop zone never navigates the webview away.
installDropGuard(window);

ReactDOM.createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariables} defaultColorScheme="light">
      {/* Bottom left, over the sidebar's foot (the practice's name and
          version) and the left of the page: the top right holds each page's
          buttons, the top centre a dialog's title and close button, and
          dialogs and save bars keep their buttons on the right. One at a
          time, so a stack never climbs over the sidebar's links. */}
      <Notifications position="bottom-left" containerWidth={340} limit={1} autoClose={4000} />
      <App />
    </MantineProvider>
  </React.StrictMode>,
);
