export * from './cluster.js';
export * from './environment.js';
export * from './fixtures.js';
export * from './load.js';
export * from './ports.js';
export * from './souk.js';
export * from './verify.js';
export * from './wait.js';
