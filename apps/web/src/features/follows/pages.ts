// The feature's pages: the router loads this file, so each feature is one lazy chunk.
export * from './following-page';
