export { createLocalStorage, type LocalStorage } from './local-storage.js';
export { mediaRoutes } from './media.routes.js';
export { assertStorageKey, type Storage } from './storage.js';
