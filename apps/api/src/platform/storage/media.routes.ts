import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { LocalStorage } from './local-storage.js';

/**
 * Serves the local storage read-only at `/media/*`. Keys are never reused, so a year of
 * caching is safe; `nosniff` stops a browser from guessing a type other than the stored one.
 */
export function mediaRoutes(storage: Pick<LocalStorage, 'rootDir'>): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, {
      root: storage.rootDir,
      prefix: '/media/',
      // The web app's registration owns reply.sendFile.
      decorateReply: false,
      index: false,
      dotfiles: 'deny',
      serveDotFiles: false,
      maxAge: '365d',
      immutable: true,
      setHeaders: (reply) => {
        reply.header('x-content-type-options', 'nosniff');
        reply.header('content-security-policy', "default-src 'none'; sandbox");
      },
    });
  };
}
