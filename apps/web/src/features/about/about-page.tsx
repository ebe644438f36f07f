import { useDocumentTitle } from '../../lib/use-document-title';

export function AboutPage() {
  useDocumentTitle('About');
  return (
    <article className="mx-auto max-w-2xl space-y-4 py-6 text-stone-700">
      <h1 className="text-2xl font-bold text-stone-900 sm:text-3xl">About Souk</h1>
      <p>
        Souk is an open-source marketplace platform. One install runs classifieds in any category, fixed-price
        orders with escrow, auctions, crowdshipping by travellers, person-to-person swaps and a product
        showcase.
      </p>
      <p>
        It is built for the people who run a marketplace, who want to try it with one command and grow it on
        real infrastructure, and for their members, who want it fast, safe and pleasant on a phone.
      </p>
      <p>
        Developers can build on the public REST API; its reference lives in the{' '}
        <a href="/docs" className="font-medium text-brand-700 underline underline-offset-4">
          API docs
        </a>
        .
      </p>
    </article>
  );
}
