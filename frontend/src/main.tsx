import React from 'react';
import ReactDOM from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
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
      <App />
    </MantineProvider>
  </React.StrictMode>,
);
