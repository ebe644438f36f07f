import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { applyTheme, storedTheme } from './lib/theme';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html must contain an element with id "root"');

applyTheme(storedTheme());

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
