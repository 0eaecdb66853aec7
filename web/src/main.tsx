import '@cloudscape-design/global-styles/index.css';

import { I18nProvider } from '@cloudscape-design/components/i18n';
import messages from '@cloudscape-design/components/i18n/messages/all.en';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { ConsoleApp } from './app/console-app.js';
import { SessionProvider } from './session/session-context.js';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks the #root element');

createRoot(root).render(
  <StrictMode>
    <I18nProvider locale="en" messages={[messages]}>
      <SessionProvider>
        <ConsoleApp />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
