import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App';
import { createIpcBridge } from './bridge/ipc-bridge';
import { createBridge } from './bridge/ws-bridge';
import './styles.css';

// The strict CSP forbids eval; tell zod not to try its code-generating fast path.
z.config({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App bridge={window.clusterops ? createIpcBridge(window.clusterops) : createBridge()} />
  </StrictMode>,
);
