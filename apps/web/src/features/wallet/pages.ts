// The feature's pages: the router loads this file, so the wallet is one lazy chunk.
export * from './wallet-page';
