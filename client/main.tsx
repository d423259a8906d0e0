import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Shared first: tokens, the page, the controls; each area's sheet comes with its module.
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import { App } from './App.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
